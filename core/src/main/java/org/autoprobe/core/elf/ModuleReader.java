package org.autoprobe.core.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.module.ModuleSignature;
import org.autoprobe.core.module.ModuleSymbol;

/** Reads what a module file says about itself, as kmod's libkmod-elf does. */
public final class ModuleReader {
    private static final String CRC_PREFIX = "__crc_";

    private ModuleReader() {
    }

    /** Reads a module file (plain or compressed). */
    public static ModuleInfo read(Path file) throws IOException {
        return read(file, Files.readAllBytes(file));
    }

    /** Reads a module from bytes already in memory; {@code file} names it in messages and gives its name. */
    public static ModuleInfo read(Path file, byte[] raw) throws ModuleFormatException {
        String source = file.toString();
        ByteBuffer image = ModuleBytes.decompress(source, raw);
        Optional<ModuleSignature> signature = ModuleBytes.signature(source, image);
        ElfFile elf = ElfFile.parse(source, image);
        if (elf.section(".modinfo").isEmpty()) {
            throw new ModuleFormatException(source, "no .modinfo section: not a kernel module");
        }
        List<ModinfoField> modinfo = new ArrayList<>();
        for (String s : elf.strings(".modinfo")) {
            modinfo.add(ModinfoField.parse(s));
        }
        List<ElfFile.Symbol> symbols = elf.symbols();
        return new ModuleInfo(ModuleNames.fromPath(file), file, modinfo, exports(elf, symbols),
                needs(elf, symbols), signature);
    }

    private static List<ModuleSymbol> exports(ElfFile elf, List<ElfFile.Symbol> symbols) {
        List<ModuleSymbol> out = new ArrayList<>();
        for (ElfFile.Symbol s : symbols) {
            if (s.name().startsWith(CRC_PREFIX)) {
                out.add(new ModuleSymbol(s.name().substring(CRC_PREFIX.length()), resolveCrc(elf, s), false));
            }
        }
        if (out.isEmpty()) {
            for (String s : elf.strings("__ksymtab_strings")) {
                out.add(new ModuleSymbol(s, 0, false));
            }
        }
        return out;
    }

    private static long resolveCrc(ElfFile elf, ElfFile.Symbol s) {
        int shndx = s.shndx();
        if (shndx == ElfFile.SHN_UNDEF || shndx == 0xfff1 /* SHN_ABS */) {
            return s.value();
        }
        if (shndx >= elf.sections().size()) {
            return -1;
        }
        ElfFile.Section sec = elf.sections().get(shndx);
        if (s.value() < 0 || sec.size() < 4 || s.value() > sec.size() - 4) {
            return -1;
        }
        return elf.u32(sec.offset() + s.value());
    }

    private record Version(String name, long crc) {
    }

    private static List<ModuleSymbol> needs(ElfFile elf, List<ElfFile.Symbol> symbols) {
        List<Version> versions = versions(elf);
        Set<String> visited = new HashSet<>();
        List<ModuleSymbol> out = new ArrayList<>();
        for (ElfFile.Symbol s : symbols) {
            if (s.shndx() != ElfFile.SHN_UNDEF || s.name().isEmpty()) {
                continue;
            }
            long crc = 0;
            for (Version v : versions) {
                if (v.name().equals(s.name())) {
                    crc = v.crc();
                    visited.add(v.name());
                    break;
                }
            }
            out.add(new ModuleSymbol(s.name(), crc, s.bind() == ElfFile.STB_WEAK));
        }
        for (Version v : versions) {
            if (!visited.contains(v.name())) {
                out.add(new ModuleSymbol(v.name(), v.crc(), false));
            }
        }
        return out;
    }

    private static List<Version> versions(ElfFile elf) {
        Optional<ElfFile.Section> sec = elf.section("__versions");
        if (sec.isEmpty()) {
            return List.of();
        }
        int entry = 64;
        int crcLen = elf.is64() ? 8 : 4;
        ByteBuffer c = elf.contents(sec.get());
        if (c.limit() % entry != 0) {
            return List.of();
        }
        List<Version> out = new ArrayList<>(c.limit() / entry);
        for (int off = 0; off < c.limit(); off += entry) {
            long crc = elf.is64() ? c.getLong(off) : Integer.toUnsignedLong(c.getInt(off));
            out.add(new Version(ElfFile.cString(c, off + crcLen, off + entry), crc));
        }
        return out;
    }
}
