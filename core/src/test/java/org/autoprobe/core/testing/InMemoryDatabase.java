package org.autoprobe.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.match.Glob;
import org.autoprobe.core.module.ModuleNames;

/**
 * The tests' in-memory module database (modules.dep, modules.alias, modules.symbols and the builtin
 * indexes): a module's entries get its priority, given by the order in which modules are first named.
 */
public final class InMemoryDatabase implements ModuleDatabase {
    /** The module directory of an index made without one. */
    public static final Path DIR = Path.of("/lib/modules/6.1.0-test");

    private record Entry(String key, String value, int priority) {
    }

    private final Path dir;
    private final Map<Index, List<Entry>> entries = new EnumMap<>(Index.class);
    private final Map<String, Integer> priorities = new LinkedHashMap<>();
    private Predicate<String> explodeOn = k -> false;

    /**
     * The usual tree: crc <- mii <- 8139too / 8139cp (one PCI alias for both), an absolute-path
     * module abs, e1000e, crc32c builtin.
     */
    public static InMemoryDatabase standard() {
        return new InMemoryDatabase()
                .module("kernel/lib/crc.ko")
                .module("kernel/net/mii.ko", "kernel/lib/crc.ko")
                // modules.dep lists the full set: the user's dependency first, load order reversed
                .module("kernel/net/8139too.ko", "kernel/net/mii.ko", "kernel/lib/crc.ko")
                .module("kernel/net/8139cp.ko", "kernel/net/mii.ko", "kernel/lib/crc.ko")
                .module("/opt/extra/abs.ko")
                .module("kernel/net/e1000e.ko")
                .alias("pci:v000010ECd00008139*", "8139cp")
                .alias("pci:v000010ECd00008139*", "8139too")
                .builtin("crc32c");
    }

    public InMemoryDatabase() {
        this(DIR);
    }

    public InMemoryDatabase(Path dir) {
        this.dir = dir;
    }

    /** A module file {@code path} (relative to the directory) whose dependencies are {@code deps} (relative paths). */
    public InMemoryDatabase module(String path, String... deps) {
        return depLine(ModuleNames.fromPath(Path.of(path)), path + ":" + (deps.length == 0 ? "" : " " + String.join(" ", deps)));
    }

    /** A raw modules.dep value under a key. */
    public InMemoryDatabase depLine(String key, String value) {
        add(Index.DEP, key, value, prio(key));
        return this;
    }

    public InMemoryDatabase alias(String pattern, String module) {
        add(Index.ALIAS, ModuleNames.normalizeAlias(pattern), module, prio(module));
        return this;
    }

    public InMemoryDatabase symbol(String symbol, String module) {
        add(Index.SYMBOL, "symbol:" + symbol, module, prio(module));
        return this;
    }

    public InMemoryDatabase builtin(String name) {
        add(Index.BUILTIN, name, "", 0);
        return this;
    }

    public InMemoryDatabase builtinAlias(String pattern, String module) {
        add(Index.BUILTIN_ALIAS, ModuleNames.normalizeAlias(pattern), module, 0);
        return this;
    }

    /** Alias matches for keys this predicate accepts throw (a broken index, for failure tests). */
    public InMemoryDatabase explodeOn(Predicate<String> keys) {
        this.explodeOn = keys;
        return this;
    }

    /** The absolute path of a module file. */
    public Path file(String relative) {
        return dir.resolve(relative);
    }

    private int prio(String module) {
        return priorities.computeIfAbsent(module, k -> priorities.size());
    }

    private void add(Index index, String key, String value, int priority) {
        entries.computeIfAbsent(index, k -> new ArrayList<>()).add(new Entry(key, value, priority));
    }

    @Override
    public Path moduleDirectory() {
        return dir;
    }

    @Override
    public Optional<String> lookup(Index index, String key) {
        return entries.getOrDefault(index, List.of()).stream().filter(e -> e.key().equals(key))
                .min((a, b) -> Integer.compare(a.priority(), b.priority())).map(Entry::value);
    }

    @Override
    public List<String> match(Index index, String key) {
        if (index == Index.ALIAS && explodeOn.test(key)) {
            throw new IllegalStateException("index exploded on " + key);
        }
        return entries.getOrDefault(index, List.of()).stream().filter(e -> Glob.matches(e.key(), key))
                .sorted((a, b) -> Integer.compare(a.priority(), b.priority())).map(Entry::value).toList();
    }

    @Override
    public boolean has(Index index) {
        return entries.containsKey(index);
    }
}
