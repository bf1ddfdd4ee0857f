package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.autoprobe.core.index.trie.TrieReader;

/**
 * The indexes depmod wrote into a modules directory, read from their {@code .bin} tries as libkmod
 * reads them. Opening maps every file at once (cheap: nothing is read until a lookup); a missing or
 * unreadable file leaves that index out ({@link #has} false, lookups empty) and {@link #problem}
 * tells why, so a caller can say "modules.dep.bin not found" as modprobe would.
 *
 * <p>Like {@code kmod_load_resources}, the tries are searched with libkmod's mapped reader only when
 * dep, alias, symbols and builtin all opened; otherwise with its stream reader's value order
 * ({@link TrieReader.Mode}). Immutable; lookups are safe from any number of threads.
 */
public final class BinModuleDatabase implements ModuleDatabase {
    private final Path directory;
    private final Map<Index, TrieReader> tries;
    private final Map<Index, IOException> problems;
    private final boolean mapped;

    private BinModuleDatabase(Path directory, Map<Index, TrieReader> tries, Map<Index, IOException> problems,
            boolean mapped) {
        this.directory = directory;
        this.tries = tries;
        this.problems = problems;
        this.mapped = mapped;
    }

    /**
     * Opens the indexes of {@code moduleDir} ({@code <root>/lib/modules/<kver>}). Never fails for a
     * missing or bad index file: see {@link #problem}.
     */
    public static BinModuleDatabase open(Path moduleDir) {
        Map<Index, TrieReader> tries = new EnumMap<>(Index.class);
        Map<Index, IOException> problems = new EnumMap<>(Index.class);
        for (Index index : Index.values()) {
            Path file = moduleDir.resolve(index.file() + ".bin");
            try {
                tries.put(index, TrieReader.open(file));
            } catch (IOException e) {
                problems.put(index, e);
            }
        }
        boolean allMapped = tries.containsKey(Index.DEP) && tries.containsKey(Index.ALIAS)
                && tries.containsKey(Index.SYMBOL) && tries.containsKey(Index.BUILTIN);
        if (!allMapped) {
            tries.replaceAll((index, trie) -> trie.withMode(TrieReader.Mode.FILE));
        }
        return new BinModuleDatabase(moduleDir, Collections.unmodifiableMap(tries),
                Collections.unmodifiableMap(problems), allMapped);
    }

    @Override
    public Path moduleDirectory() {
        return directory;
    }

    @Override
    public Optional<String> lookup(Index index, String key) {
        TrieReader trie = tries.get(index);
        return trie == null ? Optional.empty() : trie.search(key);
    }

    @Override
    public List<String> match(Index index, String key) {
        TrieReader trie = tries.get(index);
        if (trie == null) {
            return List.of();
        }
        List<TrieReader.Value> values = trie.searchWild(key);
        if (values.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(values.size());
        for (TrieReader.Value v : values) {
            names.add(v.value());
        }
        return Collections.unmodifiableList(names);
    }

    @Override
    public boolean has(Index index) {
        return tries.containsKey(index);
    }

    /**
     * Why an index is missing: {@link java.nio.file.NoSuchFileException} when its file does not
     * exist, {@link org.autoprobe.core.index.trie.TrieFormatException} (file and offset) when it is
     * not a kmod index, another {@link IOException} when it could not be read. Empty when present.
     */
    public Optional<IOException> problem(Index index) {
        return Optional.ofNullable(problems.get(index));
    }

    /** The trie behind an index, e.g. to dump it as {@code modprobe -c} does. */
    public Optional<TrieReader> trie(Index index) {
        return Optional.ofNullable(tries.get(index));
    }

    /** Whether libkmod would search these indexes with its mapped reader (all four main files opened). */
    boolean mapped() {
        return mapped;
    }
}
