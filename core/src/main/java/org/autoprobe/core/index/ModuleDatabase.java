package org.autoprobe.core.index;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The indexes of one modules directory, as libkmod consults them: exact lookups and wildcard
 * matches over each of depmod's indexes. Implemented over kmod-format {@code .bin} tries read
 * from disk, and over an index just computed in memory.
 */
public interface ModuleDatabase {
    /** depmod's indexes, by file base name. */
    enum Index {
        DEP("modules.dep"), ALIAS("modules.alias"), SYMBOL("modules.symbols"), BUILTIN("modules.builtin"),
        BUILTIN_ALIAS("modules.builtin.alias");

        private final String file;

        Index(String file) {
            this.file = file;
        }

        /** The base name of the text file; the trie is {@code file() + ".bin"}. */
        public String file() {
            return file;
        }
    }

    /** The modules directory ({@code <root>/lib/modules/<kver>}) paths in the indexes are relative to. */
    Path moduleDirectory();

    /** The value stored under exactly {@code key} (the lowest-priority one when several), if any. */
    Optional<String> lookup(Index index, String key);

    /**
     * The values of every pattern in the index that matches {@code key} (fnmatch, case-sensitive),
     * in ascending priority; a value once per pattern that matched.
     */
    List<String> match(Index index, String key);

    /** Whether this database has the given index at all (a tree may lack builtin files). */
    boolean has(Index index);
}
