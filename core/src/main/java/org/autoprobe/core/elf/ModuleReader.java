package org.autoprobe.core.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.compress.Compression;
import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleFormatException;
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
        return ModuleBytes.withImage(file, image -> read(file, image, false));
    }

    /** Reads a module from its ELF image (already decompressed), from the buffer's position to its limit. */
    public static ModuleInfo read(Path file, ByteBuffer image) throws ModuleFormatException {
        return read(file, image, true);
    }

    /**
     * @param whole true for modinfo and modprobe: the signature is parsed and a file without a
     *              readable {@code .modinfo} is refused; false for depmod, which (as libkmod) reads
     *              what it can, the damage named in {@link ModuleInfo#damage()}
     */
    static ModuleInfo read(Path file, ByteBuffer image, boolean whole) throws ModuleFormatException {
        String source = file.toString();
        if (Compression.detect(image) != Compression.NONE) {
            image = ModuleBytes.image(source, image);
        }
        Optional<ModuleSignature> signature = whole ? ModuleBytes.signature(source, image) : Optional.empty();
        ElfFile elf = ElfFile.parse(source, image);
        List<String> damage = new ArrayList<>();
        if (elf.section(".modinfo").isEmpty()) {
            String d = elf.damaged(".modinfo");
            if (whole) { // modinfo, modprobe: nothing to show
                throw new ModuleFormatException(source, d != null ? d : "no .modinfo section: not a kernel module");
            }
            // depmod: libkmod still reads the symbols of a file without (readable) .modinfo
            damage.add(d != null ? d : "no .modinfo section: not a kernel module");
        }
        List<ModinfoField> modinfo = new ArrayList<>();
        elf.records(".modinfo", (b, from, end) -> modinfo.add(ModinfoField.parse(b, from, end)));
        ElfFile.SymbolTable symtab = symbolTable(elf, damage);
        List<ModuleSymbol> exports = new ArrayList<>();
        List<ModuleSymbol> needs = new ArrayList<>();
        Versions versions = Versions.of(elf);
        if (symtab != null) {
            // libkmod: an undefined symbol whose name is outside .strtab loses every dependency
            // symbol; any entry's name outside .strtab sends the exports to __ksymtab_strings
            boolean needsOk = true;
            boolean exportsOk = symtab.firstBadName() == 0;
            for (int i = 1; i < symtab.count(); i++) {
                int shndx = symtab.shndx(i);
                if (!symtab.nameOk(i)) {
                    if (shndx == ElfFile.SHN_UNDEF) {
                        needsOk = false;
                        break;
                    }
                    continue;
                }
                if (shndx == ElfFile.SHN_UNDEF) {
                    if (!symtab.nameIsEmpty(i)) {
                        int from = symtab.nameStart(i, 0);
                        int end = symtab.nameEnd(i);
                        String name = new String(symtab.names(), from, end - from, StandardCharsets.ISO_8859_1);
                        needs.add(new ModuleSymbol(name, versions.crcOf(symtab.names(), from, end),
                                (symtab.info(i) >>> 4) == ElfFile.STB_WEAK));
                    }
                }
                if (exportsOk && symtab.nameStartsWith(i, CRC_PREFIX)) { // kmod takes __crc_ names whatever their section
                    exports.add(new ModuleSymbol(symtab.name(i, CRC_PREFIX.length), crc(elf, shndx, symtab.value(i)), false));
                }
            }
            if (!exportsOk) {
                exports.clear();
                damage.add(symtab.badNameProblem(symtab.firstBadName()));
            }
            if (needsOk) {
                versions.addUnvisited(needs);
            } else {
                needs.clear();
            }
        }
        // libkmod reads no dependency symbols at all without a usable .symtab (not even __versions)
        if (exports.isEmpty()) {
            for (String s : elf.strings("__ksymtab_strings")) {
                exports.add(new ModuleSymbol(s, 0, false));
            }
        }
        for (String name : new String[] {"__versions", "__ksymtab_strings"}) {
            String d = elf.damaged(name);
            if (d != null) {
                damage.add(d);
            }
        }
        for (ElfFile.Section sec : elf.sections()) {
            if (sec.index() != 0 && sec.name().isEmpty() && elf.damaged(sec) != null) {
                damage.add(elf.damaged(sec)); // a section without a readable name: it may have been any of them
            }
        }
        Optional<String> what = damage.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", damage) + "; read the rest, as kmod does");
        return new ModuleInfo(ModuleNames.fromPath(file), file, modinfo, exports, needs, signature, what);
    }

    /**
     * The symbol table as libkmod finds it, or null: missing, damaged (its reason added to
     * {@code damage}) or not a whole number of entries (likewise).
     */
    private static ElfFile.SymbolTable symbolTable(ElfFile elf, List<String> damage) {
        for (String name : new String[] {".symtab", ".strtab"}) {
            String d = elf.damaged(name);
            if (d != null && elf.section(name).isEmpty()) {
                damage.add(d);
                return null;
            }
        }
        try {
            return elf.symbolTable();
        } catch (ModuleFormatException e) {
            damage.add(e.problem());
            return null;
        }
    }

    /**
     * A module's symbol tables as kmod's {@code modprobe --dump-modversions} and
     * {@code --show-exports} print them. Each list is null when libkmod would fail, and then its
     * problem says why in errno's words.
     *
     * @param versions the {@code __versions} entries in table order, a leading '.' dropped
     * @param exports  the exported symbols: {@code __crc_} symbols in symbol-table order with their
     *                 CRCs, or else the {@code __ksymtab_strings} (CRC 0)
     */
    public record SymbolTables(List<ModuleSymbol> versions, Problem versionsProblem, List<ModuleSymbol> exports,
                               Problem exportsProblem) {
    }

    /** Why libkmod could not give a table, with the text of the errno it returns. */
    public enum Problem {
        /** The section is missing (ENOENT). */
        NO_SECTION("No such file or directory"),
        /** {@code __versions} is not a whole number of entries (EINVAL). */
        BAD_SIZE("Invalid argument"),
        /** Not an ELF file libkmod can read (ENOEXEC). */
        NOT_ELF("Exec format error");

        private final String message;

        Problem(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** The symbol tables of a module file (compressed or not); no {@code .modinfo} needed, as in libkmod. */
    public static SymbolTables symbolTables(Path file) throws IOException {
        try {
            return ModuleBytes.withImage(file, image -> symbolTables(file, image));
        } catch (ModuleFormatException e) {
            return new SymbolTables(null, Problem.NOT_ELF, null, Problem.NOT_ELF);
        }
    }

    private static SymbolTables symbolTables(Path file, ByteBuffer image) throws ModuleFormatException {
        String source = file.toString();
        if (Compression.detect(image) != Compression.NONE) {
            image = ModuleBytes.image(source, image);
        }
        ElfFile elf = ElfFile.parse(source, image);
        List<ModuleSymbol> versions = null;
        Problem versionsProblem = null;
        Optional<ElfFile.Section> v = elf.section("__versions");
        if (v.isEmpty()) {
            versionsProblem = Problem.NO_SECTION;
        } else {
            ByteBuffer c = elf.contents(v.get());
            if (c.limit() % 64 != 0) {
                versionsProblem = Problem.BAD_SIZE;
            } else {
                versions = new ArrayList<>(c.limit() / 64);
                int crcLen = elf.is64() ? 8 : 4;
                byte[] entry = new byte[64];
                for (int at = 0; at < c.limit(); at += 64) {
                    c.get(at, entry);
                    long crc = 0;
                    for (int k = 0; k < crcLen; k++) {
                        int shift = elf.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? 8 * k : 8 * (crcLen - 1 - k);
                        crc |= (entry[k] & 0xffL) << shift;
                    }
                    int from = crcLen;
                    if (entry[from] == '.') {
                        from++;
                    }
                    int end = from;
                    while (end < 64 && entry[end] != 0) {
                        end++;
                    }
                    versions.add(new ModuleSymbol(new String(entry, from, end - from, StandardCharsets.ISO_8859_1), crc,
                            false));
                }
            }
        }
        List<ModuleSymbol> exports = new ArrayList<>();
        ElfFile.SymbolTable symtab = symbolTable(elf, new ArrayList<>());
        if (symtab != null && symtab.firstBadName() == 0) { // else libkmod falls back to __ksymtab_strings
            for (int i = 1; i < symtab.count(); i++) {
                if (symtab.nameStartsWith(i, CRC_PREFIX)) {
                    exports.add(new ModuleSymbol(symtab.name(i, CRC_PREFIX.length),
                            crc(elf, symtab.shndx(i), symtab.value(i)), false));
                }
            }
        }
        Problem exportsProblem = null;
        if (exports.isEmpty()) {
            if (elf.section("__ksymtab_strings").isEmpty()) {
                exports = null;
                exportsProblem = Problem.NO_SECTION;
            } else {
                for (String s : elf.strings("__ksymtab_strings")) {
                    exports.add(new ModuleSymbol(s, 0, false));
                }
            }
        }
        return new SymbolTables(versions, versionsProblem, exports, exportsProblem);
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

    /**
     * The {@code __versions} table: a name finds its first entry in O(1); entries no symbol used
     * come last. The table is copied once and searched by bytes through an open-addressing hash,
     * so no String is made for an entry unless it ends up unvisited.
     */
    private static final class Versions {
        private static final int ENTRY = 64;
        /** Per thread: the table's copy, reused by the next module read on the thread (a Versions never outlives its read). */
        private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
        private static final Versions NONE = new Versions(new byte[0], 0, 8, java.nio.ByteOrder.LITTLE_ENDIAN);
        private final byte[] table;
        private final int count;
        private final int crcLen;
        private final java.nio.ByteOrder order;
        private final int[] nameLen;
        private final int[] slots;
        private final boolean[] visited;

        private Versions(byte[] table, int count, int crcLen, java.nio.ByteOrder order) {
            this.table = table;
            this.count = count;
            this.crcLen = crcLen;
            this.order = order;
            this.nameLen = new int[count];
            this.visited = new boolean[count];
            int cap = Integer.highestOneBit(Math.max(4, count * 2 + 1)) << 1;
            this.slots = new int[cap];
            java.util.Arrays.fill(slots, -1);
            for (int i = 0; i < count; i++) {
                int from = i * ENTRY + crcLen;
                int end = from;
                while (end < (i + 1) * ENTRY && table[end] != 0) {
                    end++;
                }
                nameLen[i] = end - from;
                int p = hash(table, from, nameLen[i]) & (cap - 1);
                while (slots[p] >= 0 && !sameName(slots[p], i)) {
                    p = (p + 1) & (cap - 1);
                }
                if (slots[p] < 0) {
                    slots[p] = i; // the first entry of a name wins, as in kmod
                }
            }
        }

        static Versions of(ElfFile elf) {
            Optional<ElfFile.Section> sec = elf.section("__versions");
            if (sec.isEmpty()) {
                return NONE;
            }
            ByteBuffer c = elf.contents(sec.get());
            if (c.limit() % ENTRY != 0) {
                return NONE; // kmod ignores a table of the wrong size
            }
            byte[] table = SCRATCH.get();
            if (table.length < c.limit()) {
                table = new byte[Math.max(c.limit(), table.length * 2)];
                SCRATCH.set(table);
            }
            c.get(0, table, 0, c.limit());
            return new Versions(table, c.limit() / ENTRY, elf.is64() ? 8 : 4, elf.order());
        }

        private static int hash(byte[] b, int from, int len) {
            int h = 0x811c9dc5;
            for (int k = 0; k < len; k++) {
                h = (h ^ (b[from + k] & 0xff)) * 0x01000193;
            }
            return h ^ (h >>> 16);
        }

        private boolean sameName(int a, int b) {
            return java.util.Arrays.equals(table, a * ENTRY + crcLen, a * ENTRY + crcLen + nameLen[a],
                    table, b * ENTRY + crcLen, b * ENTRY + crcLen + nameLen[b]);
        }

        private boolean nameIs(int i, byte[] b, int from, int end) {
            int at = i * ENTRY + crcLen;
            return nameLen[i] == end - from && java.util.Arrays.equals(table, at, at + nameLen[i], b, from, end);
        }

        private long crc(int i) {
            int at = i * ENTRY;
            long v = 0;
            for (int k = 0; k < crcLen; k++) {
                int shift = order == java.nio.ByteOrder.LITTLE_ENDIAN ? 8 * k : 8 * (crcLen - 1 - k);
                v |= (table[at + k] & 0xffL) << shift;
            }
            return v;
        }

        /** The CRC of the symbol named by {@code b[from..end)}; 0 when the table has none. */
        long crcOf(byte[] b, int from, int end) {
            if (count == 0) {
                return 0;
            }
            int mask = slots.length - 1;
            for (int p = hash(b, from, end - from) & mask; slots[p] >= 0; p = (p + 1) & mask) {
                if (nameIs(slots[p], b, from, end)) {
                    visited[slots[p]] = true;
                    return crc(slots[p]);
                }
            }
            return 0;
        }

        void addUnvisited(List<ModuleSymbol> out) {
            for (int i = 0; i < count; i++) {
                if (!visited[i]) {
                    String name = new String(table, i * ENTRY + crcLen, nameLen[i], java.nio.charset.StandardCharsets.ISO_8859_1);
                    out.add(new ModuleSymbol(name, crc(i), false));
                }
            }
        }
    }
}
