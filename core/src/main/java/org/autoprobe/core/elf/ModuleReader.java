package org.autoprobe.core.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.module.ModuleSignature;
import org.autoprobe.core.module.ModuleSymbol;

/** Reads what a module file says about itself, as kmod's libkmod-elf does. */
public final class ModuleReader {
    private static final byte[] CRC_PREFIX = "__crc_".getBytes(StandardCharsets.US_ASCII);
    private static final int SHN_ABS = 0xfff1;

    private ModuleReader() {
    }

    /** Reads a module file (plain: mapped, only the parts needed are touched; compressed: decompressed in memory). */
    public static ModuleInfo read(Path file) throws IOException {
        return read(file, ModuleBytes.load(file));
    }

    /** Reads a module from bytes already in memory; {@code file} names it in messages and gives its name. */
    public static ModuleInfo read(Path file, byte[] raw) throws ModuleFormatException {
        return read(file, ModuleBytes.decompress(file.toString(), raw));
    }

    /**
     * Reads what depmod needs of a module file: everything but the appended signature, which is
     * never parsed ({@link ModuleInfo#signature()} is empty). Saves the trailer's page and its
     * PKCS#7 walk for each of thousands of files.
     */
    public static ModuleInfo readForIndex(Path file) throws IOException {
        return read(file, ModuleBytes.load(file), false);
    }

    /** Reads a module from its ELF image (already decompressed), from the buffer's position to its limit. */
    public static ModuleInfo read(Path file, ByteBuffer image) throws ModuleFormatException {
        return read(file, image, true);
    }

    private static ModuleInfo read(Path file, ByteBuffer image, boolean withSignature) throws ModuleFormatException {
        String source = file.toString();
        if (Compression.detect(image) != Compression.NONE) {
            image = ModuleBytes.image(source, image);
        }
        Optional<ModuleSignature> signature = withSignature ? ModuleBytes.signature(source, image) : Optional.empty();
        ElfFile elf = ElfFile.parse(source, image);
        if (elf.section(".modinfo").isEmpty()) {
            throw new ModuleFormatException(source, "no .modinfo section: not a kernel module");
        }
        List<String> records = elf.strings(".modinfo");
        List<ModinfoField> modinfo = new ArrayList<>(records.size());
        for (String s : records) {
            modinfo.add(ModinfoField.parse(s));
        }
        ElfFile.SymbolTable symtab = elf.symbolTable();
        List<ModuleSymbol> exports = new ArrayList<>();
        List<ModuleSymbol> needs = new ArrayList<>();
        Versions versions = Versions.of(elf);
        if (symtab != null) {
            for (int i = 1; i < symtab.count(); i++) {
                int shndx = symtab.shndx(i);
                if (shndx == ElfFile.SHN_UNDEF) {
                    if (!symtab.nameIsEmpty(i)) {
                        String name = symtab.name(i, 0);
                        needs.add(new ModuleSymbol(name, versions.crcOf(name), (symtab.info(i) >>> 4) == ElfFile.STB_WEAK));
                    }
                }
                if (symtab.nameStartsWith(i, CRC_PREFIX)) { // kmod takes __crc_ names whatever their section
                    exports.add(new ModuleSymbol(symtab.name(i, CRC_PREFIX.length), crc(elf, shndx, symtab.value(i)), false));
                }
            }
        }
        versions.addUnvisited(needs);
        if (exports.isEmpty()) {
            for (String s : elf.strings("__ksymtab_strings")) {
                exports.add(new ModuleSymbol(s, 0, false));
            }
        }
        return new ModuleInfo(ModuleNames.fromPath(file), file, modinfo, exports, needs, signature);
    }

    /** A {@code __crc_} symbol's CRC: its value when absolute, else the word it points at; -1 when that lies outside. */
    private static long crc(ElfFile elf, int shndx, long value) {
        if (shndx == ElfFile.SHN_UNDEF || shndx == SHN_ABS) {
            return value;
        }
        if (shndx >= elf.sections().size()) {
            return -1;
        }
        ElfFile.Section sec = elf.sections().get(shndx);
        if (value < 0 || sec.size() < 4 || value > sec.size() - 4) {
            return -1;
        }
        return elf.u32(sec.offset() + value);
    }

    /** The {@code __versions} table: a name finds its first entry in O(1); entries no symbol used come last. */
    private static final class Versions {
        private static final Versions NONE = new Versions(List.of(), List.of());
        private final List<String> names;
        private final List<Long> crcs;
        private final Map<String, Integer> first;
        private final boolean[] visited;

        private Versions(List<String> names, List<Long> crcs) {
            this.names = names;
            this.crcs = crcs;
            this.first = new HashMap<>(Math.max(16, names.size() * 2));
            for (int i = 0; i < names.size(); i++) {
                first.putIfAbsent(names.get(i), i);
            }
            this.visited = new boolean[names.size()];
        }

        static Versions of(ElfFile elf) {
            Optional<ElfFile.Section> sec = elf.section("__versions");
            if (sec.isEmpty()) {
                return NONE;
            }
            int entry = 64;
            int crcLen = elf.is64() ? 8 : 4;
            ByteBuffer c = elf.contents(sec.get());
            if (c.limit() % entry != 0) {
                return NONE; // kmod ignores a table of the wrong size
            }
            int n = c.limit() / entry;
            List<String> names = new ArrayList<>(n);
            List<Long> crcs = new ArrayList<>(n);
            for (int off = 0; off < c.limit(); off += entry) {
                crcs.add(elf.is64() ? c.getLong(off) : Integer.toUnsignedLong(c.getInt(off)));
                names.add(ElfFile.cString(c, off + crcLen, off + entry));
            }
            return new Versions(names, crcs);
        }

        long crcOf(String symbol) {
            Integer i = first.get(symbol);
            if (i == null) {
                return 0;
            }
            visited[i] = true;
            return crcs.get(i);
        }

        void addUnvisited(List<ModuleSymbol> out) {
            for (int i = 0; i < names.size(); i++) {
                if (!visited[i]) {
                    out.add(new ModuleSymbol(names.get(i), crcs.get(i), false));
                }
            }
        }
    }
}
