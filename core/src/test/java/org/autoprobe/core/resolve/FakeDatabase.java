package org.autoprobe.core.resolve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.module.ModuleNames;

/** An in-memory ModuleDatabase: entries get increasing priorities in the order they are added. */
public final class FakeDatabase implements ModuleDatabase {
    private record Entry(String key, String value, int priority) {
    }

    public static final Path DIR = Path.of("/lib/modules/6.1.0-test");

    private final Map<Index, List<Entry>> entries = new EnumMap<>(Index.class);
    private final Map<String, Integer> priorities = new LinkedHashMap<>();

    /**
     * The usual tree: crc <- mii <- 8139too / 8139cp (one PCI alias for both), an absolute-path
     * module abs, e1000e, crc32c builtin.
     */
    public static FakeDatabase standard() {
        return new FakeDatabase()
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

    /** A module in modules.dep: {@code path} relative, {@code deps} in modules.dep order (paths). */
    public FakeDatabase module(String path, String... deps) {
        String name = ModuleNames.fromPath(Path.of(path));
        int prio = priorities.computeIfAbsent(name, k -> priorities.size());
        add(Index.DEP, name, path + ":" + (deps.length == 0 ? "" : " " + String.join(" ", deps)), prio);
        return this;
    }

    /** A raw modules.dep value under a key. */
    public FakeDatabase depLine(String key, String value) {
        add(Index.DEP, key, value, priorities.computeIfAbsent(key, k -> priorities.size()));
        return this;
    }

    public FakeDatabase alias(String pattern, String module) {
        add(Index.ALIAS, ModuleNames.normalizeAlias(pattern), module, prio(module));
        return this;
    }

    public FakeDatabase symbol(String symbol, String module) {
        add(Index.SYMBOL, "symbol:" + symbol, module, prio(module));
        return this;
    }

    public FakeDatabase builtin(String name) {
        add(Index.BUILTIN, name, "", 0);
        return this;
    }

    public FakeDatabase builtinAlias(String pattern, String module) {
        add(Index.BUILTIN_ALIAS, ModuleNames.normalizeAlias(pattern), module, 0);
        return this;
    }

    private int prio(String module) {
        return priorities.computeIfAbsent(module, k -> priorities.size());
    }

    private void add(Index index, String key, String value, int priority) {
        entries.computeIfAbsent(index, k -> new ArrayList<>()).add(new Entry(key, value, priority));
    }

    @Override
    public Path moduleDirectory() {
        return DIR;
    }

    @Override
    public Optional<String> lookup(Index index, String key) {
        return entries.getOrDefault(index, List.of()).stream().filter(e -> e.key().equals(key))
                .min((a, b) -> Integer.compare(a.priority(), b.priority())).map(Entry::value);
    }

    @Override
    public List<String> match(Index index, String key) {
        return entries.getOrDefault(index, List.of()).stream().filter(e -> org.autoprobe.core.match.Glob.matches(e.key(), key))
                .sorted((a, b) -> Integer.compare(a.priority(), b.priority())).map(Entry::value).toList();
    }

    @Override
    public boolean has(Index index) {
        return entries.containsKey(index);
    }
}
