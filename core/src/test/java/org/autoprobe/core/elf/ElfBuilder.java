package org.autoprobe.core.elf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small but real ELF relocatable files shaped like kernel modules, for tests: a
 * {@code .modinfo}, a {@code .symtab}/{@code .strtab} with exported ({@code __crc_}) and undefined
 * symbols, {@code __versions}, {@code __ksymtab_strings} and any extra raw sections.
 */
public final class ElfBuilder {
    private boolean is64 = true;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private final List<String> modinfo = new ArrayList<>();
    private final List<String> exports = new ArrayList<>();
    private final List<String[]> undefined = new ArrayList<>(); // name, "W" for weak
    private final Map<String, Long> versions = new LinkedHashMap<>();
    private final List<String> ksymtabStrings = new ArrayList<>();
    private final Map<String, byte[]> extra = new LinkedHashMap<>();
    private boolean withModinfo = true;

    public static ElfBuilder module() {
        return new ElfBuilder();
    }

    public ElfBuilder elf32() {
        is64 = false;
        return this;
    }

    public ElfBuilder bigEndian() {
        order = ByteOrder.BIG_ENDIAN;
        return this;
    }

    /** Adds a {@code .modinfo} record {@code key=value}. */
    public ElfBuilder info(String key, String value) {
        modinfo.add(key + "=" + value);
        return this;
    }

    public ElfBuilder alias(String alias) {
        return info("alias", alias);
    }

    /** Exports a symbol the modversions way: a {@code __crc_NAME} absolute symbol. */
    public ElfBuilder exports(String... symbols) {
        exports.addAll(List.of(symbols));
        return this;
    }

    /** Needs (leaves undefined) these symbols. */
    public ElfBuilder needs(String... symbols) {
        for (String s : symbols) {
            undefined.add(new String[] {s, ""});
        }
        return this;
    }

    public ElfBuilder needsWeak(String symbol) {
        undefined.add(new String[] {symbol, "W"});
        return this;
    }

    /** Adds a {@code __versions} entry. */
    public ElfBuilder version(String symbol, long crc) {
        versions.put(symbol, crc);
        return this;
    }

    /** Adds a {@code __ksymtab_strings} string (exports for modules without modversions). */
    public ElfBuilder ksymtabString(String s) {
        ksymtabStrings.add(s);
        return this;
    }

    public ElfBuilder section(String name, byte[] contents) {
        extra.put(name, contents.clone());
        return this;
    }

    /** Leaves out {@code .modinfo} entirely (not a module). */
    public ElfBuilder withoutModinfo() {
        withModinfo = false;
        return this;
    }

    public Path writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, build());
        return file;
    }

    public byte[] build() {
        List<String> names = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        if (withModinfo) {
            add(names, bodies, types, ".modinfo", strings(modinfo, false), 1);
        }
        if (!ksymtabStrings.isEmpty()) {
            add(names, bodies, types, "__ksymtab_strings", strings(ksymtabStrings, false), 1);
        }
        if (!versions.isEmpty()) {
            ByteBuffer v = ByteBuffer.allocate(64 * versions.size()).order(order);
            int i = 0;
            for (Map.Entry<String, Long> e : versions.entrySet()) {
                v.position(i * 64);
                if (is64) {
                    v.putLong(e.getValue());
                } else {
                    v.putInt(e.getValue().intValue());
                }
                v.put(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
                i++;
            }
            add(names, bodies, types, "__versions", v.array(), 1);
        }
        extra.forEach((n, b) -> add(names, bodies, types, n, b, 1));
        // symbol table: null, then __crc_ exports (SHN_ABS), then undefined
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        int symCount = 1 + exports.size() + undefined.size();
        int entSize = is64 ? 24 : 16;
        ByteBuffer sym = ByteBuffer.allocate(symCount * entSize).order(order);
        int idx = 1;
        long crc = 0x1000;
        for (String e : exports) {
            putSym(sym, idx++ * entSize, strtab, "__crc_" + e, crc++, (1 << 4), 0xfff1);
        }
        for (String[] u : undefined) {
            putSym(sym, idx++ * entSize, strtab, u[0], 0, ((u[1].equals("W") ? 2 : 1) << 4), 0);
        }
        int symtabIndex = names.size() + 1;
        add(names, bodies, types, ".symtab", sym.array(), 2);
        add(names, bodies, types, ".strtab", strtab.toByteArray(), 3);
        // section name table
        ByteArrayOutputStream shstr = new ByteArrayOutputStream();
        shstr.write(0);
        List<Integer> nameOffsets = new ArrayList<>();
        for (String n : names) {
            nameOffsets.add(shstr.size());
            shstr.writeBytes((n + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        int shstrName = shstr.size();
        shstr.writeBytes(".shstrtab\0".getBytes(StandardCharsets.ISO_8859_1));
        names.add(".shstrtab");
        bodies.add(shstr.toByteArray());
        types.add(3);
        nameOffsets.add(shstrName);

        int ehsize = is64 ? 64 : 52;
        int shentsize = is64 ? 64 : 40;
        int off = ehsize;
        int[] offsets = new int[bodies.size()];
        for (int i = 0; i < bodies.size(); i++) {
            off = (off + 7) & ~7;
            offsets[i] = off;
            off += bodies.get(i).length;
        }
        int shoff = (off + 7) & ~7;
        int shnum = bodies.size() + 1;
        ByteBuffer out = ByteBuffer.allocate(shoff + shnum * shentsize).order(order);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
        out.putShort(16, (short) 1); // ET_REL
        out.putShort(18, (short) (is64 ? 62 : 3)); // x86-64 / i386
        out.putInt(20, 1);
        if (is64) {
            out.putLong(0x28, shoff);
            out.putShort(0x34, (short) ehsize);
            out.putShort(0x3A, (short) shentsize);
            out.putShort(0x3C, (short) shnum);
            out.putShort(0x3E, (short) (shnum - 1));
        } else {
            out.putInt(0x20, shoff);
            out.putShort(0x28, (short) ehsize);
            out.putShort(0x2E, (short) shentsize);
            out.putShort(0x30, (short) shnum);
            out.putShort(0x32, (short) (shnum - 1));
        }
        for (int i = 0; i < bodies.size(); i++) {
            out.put(offsets[i], bodies.get(i));
            int h = shoff + (i + 1) * shentsize;
            out.putInt(h, nameOffsets.get(i));
            out.putInt(h + 4, types.get(i));
            boolean isSymtab = types.get(i) == 2;
            if (is64) {
                out.putLong(h + 0x18, offsets[i]);
                out.putLong(h + 0x20, bodies.get(i).length);
                out.putInt(h + 0x28, isSymtab ? symtabIndex + 1 : 0);
                out.putLong(h + 0x38, isSymtab ? entSize : 0);
            } else {
                out.putInt(h + 0x10, offsets[i]);
                out.putInt(h + 0x14, bodies.get(i).length);
                out.putInt(h + 0x18, isSymtab ? symtabIndex + 1 : 0);
                out.putInt(h + 0x24, isSymtab ? entSize : 0);
            }
        }
        return out.array();
    }

    private void putSym(ByteBuffer sym, int at, ByteArrayOutputStream strtab, String name, long value, int info, int shndx) {
        int nameOff = strtab.size();
        strtab.writeBytes((name + "\0").getBytes(StandardCharsets.ISO_8859_1));
        sym.putInt(at, nameOff);
        if (is64) {
            sym.put(at + 4, (byte) info);
            sym.putShort(at + 6, (short) shndx);
            sym.putLong(at + 8, value);
        } else {
            sym.putInt(at + 4, (int) value);
            sym.put(at + 12, (byte) info);
            sym.putShort(at + 14, (short) shndx);
        }
    }

    private static void add(List<String> names, List<byte[]> bodies, List<Integer> types, String name, byte[] body, int type) {
        names.add(name);
        bodies.add(body);
        types.add(type);
    }

    private static byte[] strings(List<String> list, boolean leadingNul) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (leadingNul) {
            b.write(0);
        }
        for (String s : list) {
            b.writeBytes((s + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.toByteArray();
    }
}
