package org.autoprobe.core.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.module.ModinfoField;

/**
 * How {@code modinfo} finds the modules a NAME or ALIAS argument stands for, in a modules
 * directory ({@code <root>/lib/modules/<kver>}). The full libkmod lookup chain (config aliases,
 * names, symbols, index aliases, builtins) plugs in here.
 */
public interface ModuleLookup {
    /** A module found: its file, or none for a module built into the kernel. */
    record Found(String name, Optional<Path> file) {
        boolean builtin() {
            return file.isEmpty();
        }
    }

    /** What {@code modinfo ARG} shows for a non-file argument, in order; empty when nothing matches. */
    List<Found> lookup(String nameOrAlias) throws IOException;

    /** What {@code modinfo -m NAME} shows: the module of that name only (a file or a builtin). */
    Optional<Found> byName(String name) throws IOException;

    /**
     * A builtin module's records from {@code modules.builtin.modinfo} (without the {@code name.} prefix);
     * empty when that file is missing (an old kernel: nothing more to show).
     *
     * @throws IOException when the file exists but lists no such module
     */
    Optional<List<ModinfoField>> builtinModinfo(String name) throws IOException;
}
