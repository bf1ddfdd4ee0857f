package org.autoprobe.core.module;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a module's own file says about it.
 *
 * @param name       the module's name: file name up to the first '.', '-' turned into '_'
 * @param file       the file it was read from
 * @param modinfo    every {@code .modinfo} record, in file order
 * @param exports    exported symbols ({@code __crc_*} symbols, else {@code __ksymtab_strings})
 * @param needs      undefined symbols in {@code .symtab} order, then unmatched {@code __versions} entries
 * @param signature  the appended signature, if any
 * @param damage     what could not be read, when part of the file is broken but the rest was read
 *                   (as libkmod reads it): the section, its offset and what is wrong
 */
public record ModuleInfo(String name, Path file, List<ModinfoField> modinfo, List<ModuleSymbol> exports,
                         List<ModuleSymbol> needs, Optional<ModuleSignature> signature, Optional<String> damage) {
    public ModuleInfo {
        modinfo = List.copyOf(modinfo);
        exports = List.copyOf(exports);
        needs = List.copyOf(needs);
    }

    /** A module read whole. */
    public ModuleInfo(String name, Path file, List<ModinfoField> modinfo, List<ModuleSymbol> exports,
                      List<ModuleSymbol> needs, Optional<ModuleSignature> signature) {
        this(name, file, modinfo, exports, needs, signature, Optional.empty());
    }

    /** All values of a {@code .modinfo} key, in file order. */
    public List<String> values(String key) {
        List<String> out = new ArrayList<>();
        for (ModinfoField f : modinfo) {
            if (f.key().equals(key)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /** The first value of a {@code .modinfo} key. */
    public Optional<String> first(String key) {
        for (ModinfoField f : modinfo) {
            if (f.key().equals(key)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    public List<String> aliases() {
        return values("alias");
    }
}
