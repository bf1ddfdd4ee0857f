package org.autoprobe.daemon.testing;

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

/** A tiny in-memory module index: entries get increasing priorities in the order they are added. */
public final class TestIndex implements ModuleDatabase {
    private record Entry(String key, String value, int priority) {
    }

    private final Path dir;
    private final Map<Index, List<Entry>> entries = new EnumMap<>(Index.class);
    private final Map<String, Integer> priorities = new LinkedHashMap<>();
    private Predicate<String> explodeOn = k -> false;

    public TestIndex(Path dir) {
        this.dir = dir;
    }

    /** A module file {@code path} (relative to the directory) whose dependencies are {@code deps} (relative paths). */
    public TestIndex module(String path, String... deps) {
        String name = ModuleNames.fromPath(Path.of(path));
        int prio = priorities.computeIfAbsent(name, k -> priorities.size());
        add(Index.DEP, name, path + ":" + (deps.length == 0 ? "" : " " + String.join(" ", deps)), prio);
        return this;
    }

    public TestIndex alias(String pattern, String module) {
        add(Index.ALIAS, ModuleNames.normalizeAlias(pattern), module,
                priorities.computeIfAbsent(module, k -> priorities.size()));
        return this;
    }

    public TestIndex builtin(String name) {
        add(Index.BUILTIN, name, "", 0);
        return this;
    }

    /** Alias matches for keys this predicate accepts throw (a broken index, for failure tests). */
    public TestIndex explodeOn(Predicate<String> keys) {
        this.explodeOn = keys;
        return this;
    }

    /** The absolute path of a module file. */
    public Path file(String relative) {
        return dir.resolve(relative);
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
