package org.autoprobe.core.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.module.ModuleFormatException;

/**
 * A read-only view of an ELF relocatable file (ELF32 or ELF64, either byte order) over a buffer.
 * Every offset is checked against the buffer: a bad file gives a {@link ModuleFormatException}
 * naming the problem, never an index error.
 *
 * <p>As libkmod's ELF reader, only the ELF header, the section header table and the section name
 * table must be sound for the file to be read at all. A section whose header points outside the
 * file, or whose name lies outside the name table, is left out of {@link #section(String)} (as
 * libkmod skips it when it looks a section up by name), and {@link #damaged(Section)} says why;
 * the rest of the file reads as usual.
 */
public final class ElfFile {
    static final int SHN_UNDEF = 0;
    static final int STB_WEAK = 2;

    /** A section header. */
    public record Section(int index, String name, int type, long offset, long size) {
    }

    /** A {@code .symtab} entry. */
    record Symbol(String name, long value, int info, int shndx) {
        int bind() {
            return info >>> 4;
        }
    }

    private final String source;
    private final ByteBuffer buf;
    private final boolean is64;
    private final int machine;
    private final List<Section> sections;
    /** Per section, why it cannot be read (its bounds or its name), or null. */
    private final String[] damage;

    private ElfFile(String source, ByteBuffer buf, boolean is64, int machine, List<Section> sections, String[] damage) {
        this.source = source;
        this.buf = buf;
        this.is64 = is64;
        this.machine = machine;
        this.sections = sections;
        this.damage = damage;
    }

    /**
     * Parses the headers of an ELF file.
     *
     * @param source a name for messages (usually the file's path)
     * @param data   the whole file; its position and limit delimit the file
     */
    public static ElfFile parse(String source, ByteBuffer data) throws ModuleFormatException {
        ByteBuffer buf = data.slice();
        if (buf.remaining() < 16) {
            throw new ModuleFormatException(source, "file too short for an ELF header (" + buf.remaining() + " bytes)");
        }
        if (buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
            throw new ModuleFormatException(source, "not an ELF file (bad magic at offset 0)");
        }
        int cls = buf.get(4);
        int data5 = buf.get(5);
        if (cls != 1 && cls != 2) {
            throw new ModuleFormatException(source, "invalid ELF class " + cls + " at offset 4");
        }
        if (data5 != 1 && data5 != 2) {
            throw new ModuleFormatException(source, "invalid ELF data encoding " + data5 + " at offset 5");
        }
        buf.order(data5 == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        boolean is64 = cls == 2;
        int ehsize = is64 ? 64 : 52;
        if (buf.remaining() < ehsize) {
            throw new ModuleFormatException(source, "file too short for an ELF" + (is64 ? "64" : "32") + " header ("
                    + buf.remaining() + " bytes)");
        }
        int machine = Short.toUnsignedInt(buf.getShort(18));
        long shoff = is64 ? buf.getLong(0x28) : Integer.toUnsignedLong(buf.getInt(0x20));
        int shentsize = Short.toUnsignedInt(buf.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(buf.getShort(is64 ? 0x3C : 0x30));
        int shstrndx = Short.toUnsignedInt(buf.getShort(is64 ? 0x3E : 0x32));
        int minEnt = is64 ? 64 : 40;
        if (shnum == 0) {
            throw new ModuleFormatException(source, "ELF file has no section headers");
        }
        if (shentsize != minEnt) { // libkmod reads no other size
            throw new ModuleFormatException(source, "section header size " + shentsize + " at offset "
                    + (is64 ? 0x3A : 0x2E) + " is not " + minEnt);
        }
        long size = buf.limit();
        if (shoff < 0 || shoff > size || (long) shnum * shentsize > size - shoff) {
            throw new ModuleFormatException(source, "section headers at offset " + Long.toUnsignedString(shoff)
                    + " (" + shnum + " x " + shentsize + " bytes) lie outside the file (" + size + " bytes)");
        }
        if (shstrndx >= shnum) {
            throw new ModuleFormatException(source, "section name table index " + shstrndx + " out of range (" + shnum + " sections)");
        }
        long[] off = new long[shnum];
        long[] sz = new long[shnum];
        int[] nameOff = new int[shnum];
        int[] type = new int[shnum];
        String[] damage = new String[shnum];
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            nameOff[i] = buf.getInt(h);
            type[i] = buf.getInt(h + 4);
            if (is64) {
                off[i] = buf.getLong(h + 0x18);
                sz[i] = buf.getLong(h + 0x20);
            } else {
                off[i] = Integer.toUnsignedLong(buf.getInt(h + 0x10));
                sz[i] = Integer.toUnsignedLong(buf.getInt(h + 0x14));
            }
            boolean nobits = type[i] == 8; // SHT_NOBITS occupies no file space
            if (i != 0 && !nobits && (off[i] < 0 || sz[i] < 0 || off[i] > size || sz[i] > size - off[i])) {
                damage[i] = "section " + i + " (header at offset " + h + ": offset " + Long.toUnsignedString(off[i])
                        + ", size " + Long.toUnsignedString(sz[i]) + ") lies outside the file (" + size + " bytes)";
            }
        }
        long strOff = off[shstrndx];
        long strSize = sz[shstrndx];
        if (shstrndx == 0 || type[shstrndx] == 8 || strOff < 0 || strSize <= 0 || strOff > size || strSize > size - strOff
                || buf.get((int) (strOff + strSize - 1)) != 0) {
            throw new ModuleFormatException(source, "section name table (section " + shstrndx + ", offset "
                    + Long.toUnsignedString(strOff) + ", size " + Long.toUnsignedString(strSize)
                    + ") is not usable: missing, empty, NOBITS, outside the file (" + size + " bytes) or not ended by a NUL");
        }
        byte[] names = new byte[(int) strSize]; // one bulk copy; names are then cut from the array
        buf.get((int) strOff, names);
        List<Section> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            String name = "";
            if (i != 0) {
                if (Integer.toUnsignedLong(nameOff[i]) >= strSize) {
                    if (damage[i] == null) {
                        damage[i] = "section " + i + " (header at offset " + (shoff + (long) i * shentsize)
                                + ") name offset " + Integer.toUnsignedString(nameOff[i])
                                + " lies outside the section name table (" + strSize + " bytes)";
                    }
                } else {
                    int from = nameOff[i];
                    int end = from;
                    while (end < names.length && names[end] != 0) {
                        end++;
                    }
                    name = new String(names, from, end - from, StandardCharsets.ISO_8859_1);
                }
            }
            sections.add(new Section(i, name, type[i], off[i], type[i] == 8 || damage[i] != null ? 0 : sz[i]));
        }
        return new ElfFile(source, buf, is64, machine, Collections.unmodifiableList(sections), damage);
    }

    /**
     * Why a section cannot be read (its header points outside the file, or its name outside the
     * name table), or null when it can. A damaged section has size 0 here and is never found by name.
     */
    String damaged(Section s) {
        return damage[s.index()];
    }

    /**
     * What is wrong with the first damaged section whose name is {@code name}, or null: the
     * reason a section {@link #section(String)} does not find is there and broken.
     */
    String damaged(String name) {
        for (Section s : sections) {
            if (s.index() != 0 && damage[s.index()] != null && s.name().equals(name)) {
                return s.name() + ": " + damage[s.index()];
            }
        }
        return null;
    }

    String source() {
        return source;
    }

    public boolean is64() {
        return is64;
    }

    public ByteOrder order() {
        return buf.order();
    }

    int machine() {
        return machine;
    }

    List<Section> sections() {
        return sections;
    }

    public Optional<Section> section(String name) {
        for (Section s : sections) {
            if (s.index() != 0 && damage[s.index()] == null && s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** A section's contents (a view, in the file's byte order). */
    ByteBuffer contents(Section s) {
        if (s.size() == 0) {
            return ByteBuffer.allocate(0).order(buf.order()); // also SHT_NOBITS, whose offset means nothing
        }
        return buf.slice((int) s.offset(), (int) s.size()).order(buf.order());
    }

    /** Receives one NUL-terminated record of a section: {@code bytes[from..end)}. */
    @FunctionalInterface
    interface RecordSink {
        void record(byte[] bytes, int from, int end);
    }

    /**
     * The NUL-separated records of a section, empty ones skipped, handed over as ranges of one copy of
     * the section (the array is only valid during the call).
     */
    void records(String sectionName, RecordSink sink) {
        Optional<Section> s = section(sectionName);
        if (s.isEmpty()) {
            return;
        }
        ByteBuffer c = contents(s.get());
        byte[] bytes = new byte[c.limit()];
        c.get(0, bytes);
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i > start) {
                    sink.record(bytes, start, i);
                }
                start = i + 1;
            }
        }
    }

    /** The NUL-separated strings of a section, empty strings skipped (kmod_elf_get_strings). */
    public List<String> strings(String sectionName) {
        Optional<Section> s = section(sectionName);
        if (s.isEmpty()) {
            return List.of();
        }
        ByteBuffer c = contents(s.get());
        byte[] bytes = new byte[c.limit()];
        c.get(0, bytes); // one bulk copy: per-byte reads of a mapped file are slow
        List<String> out = new ArrayList<>();
        int n = bytes.length;
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || bytes[i] == 0) {
                if (i > start) {
                    out.add(new String(bytes, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** Every {@code .symtab} entry after the null entry; empty when there is none. */
    List<Symbol> symbols() throws ModuleFormatException {
        SymbolTable t = symbolTable();
        if (t == null) {
            return List.of();
        }
        if (t.firstBadName() > 0) {
            throw new ModuleFormatException(source, t.badNameProblem(t.firstBadName()));
        }
        List<Symbol> out = new ArrayList<>(Math.max(0, t.count() - 1));
        for (int i = 1; i < t.count(); i++) {
            out.add(new Symbol(t.name(i, 0), t.value(i), t.info(i), t.shndx(i)));
        }
        return out;
    }

    /**
     * The {@code .symtab} with its {@code .strtab}, read entry by entry without building strings
     * for entries nobody asks about; null when either section is missing (or damaged). Every
     * entry's name offset is checked here, once: {@link SymbolTable#firstBadName()}.
     *
     * @throws ModuleFormatException when {@code .symtab} is not a whole number of entries
     */
    SymbolTable symbolTable() throws ModuleFormatException {
        Optional<Section> symtab = section(".symtab");
        Optional<Section> strtab = section(".strtab");
        if (symtab.isEmpty() || strtab.isEmpty()) {
            return null;
        }
        int entSize = is64 ? 24 : 16;
        Section st = symtab.get();
        if (st.size() % entSize != 0) {
            throw new ModuleFormatException(source, ".symtab (section " + st.index() + " at offset " + st.offset()
                    + ") size " + st.size() + " is not a multiple of " + entSize);
        }
        // two bulk copies into the heap: entries and names are then read from arrays, not the mapping
        // (per-thread arrays: a SymbolTable is read and dropped before the thread's next one)
        int symLen = (int) st.size();
        int strLen = (int) strtab.get().size();
        byte[][] scratch = SYMTAB_SCRATCH.get();
        if (scratch[0].length < symLen) {
            scratch[0] = new byte[Math.max(symLen, scratch[0].length * 2)];
        }
        if (scratch[1].length < strLen) {
            scratch[1] = new byte[Math.max(strLen, scratch[1].length * 2)];
        }
        byte[] sym = scratch[0];
        byte[] str = scratch[1];
        buf.get((int) st.offset(), sym, 0, symLen);
        buf.get((int) strtab.get().offset(), str, 0, strLen);
        int bad = 0;
        int count = symLen / entSize;
        SymbolTable t = new SymbolTable(sym, count, str, strLen, st.offset(), 0);
        for (int i = 1; i < count && bad == 0; i++) {
            if (t.nameOffset(i) >= strLen) {
                bad = i;
            }
        }
        return bad == 0 ? t : new SymbolTable(sym, count, str, strLen, st.offset(), bad);
    }

    /** Random access to {@code .symtab} entries (copied from the file); index 0 is the null entry. */
    final class SymbolTable {
        private final byte[] sym;
        private final int count;
        private final byte[] str;
        private final int strLen;
        private final boolean big = buf.order() == ByteOrder.BIG_ENDIAN;
        private final long fileOffset;
        private final int firstBadName;

        private SymbolTable(byte[] sym, int count, byte[] str, int strLen, long fileOffset, int firstBadName) {
            this.sym = sym;
            this.count = count;
            this.str = str;
            this.strLen = strLen;
            this.fileOffset = fileOffset;
            this.firstBadName = firstBadName;
        }

        /**
         * The first entry whose name offset lies outside {@code .strtab}, or 0 when there is none.
         * The name methods must not be asked about such an entry ({@link #nameOk}).
         */
        int firstBadName() {
            return firstBadName;
        }

        /** Whether entry i's name lies inside {@code .strtab}. */
        boolean nameOk(int i) {
            return nameOffset(i) < strLen;
        }

        /** What is wrong with entry i's name offset, with the entry's file offset. */
        String badNameProblem(int i) {
            return ".symtab entry " + i + " (offset " + (fileOffset + (long) entry(i)) + ") name offset " + nameOffset(i)
                    + " lies outside .strtab (" + strLen + " bytes)";
        }

        int count() {
            return count;
        }

        private int entry(int i) {
            return i * (is64 ? 24 : 16);
        }

        private int u16(int at) {
            int a = sym[at] & 0xff;
            int b = sym[at + 1] & 0xff;
            return big ? a << 8 | b : b << 8 | a;
        }

        private long u32(int at) {
            long a = sym[at] & 0xff;
            long b = sym[at + 1] & 0xff;
            long c = sym[at + 2] & 0xff;
            long d = sym[at + 3] & 0xff;
            return big ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
        }

        long nameOffset(int i) {
            return u32(entry(i));
        }

        int info(int i) {
            return sym[entry(i) + (is64 ? 4 : 12)] & 0xff;
        }

        int shndx(int i) {
            return u16(entry(i) + (is64 ? 6 : 14));
        }

        long value(int i) {
            if (!is64) {
                return u32(entry(i) + 4);
            }
            long lo = u32(entry(i) + 8);
            long hi = u32(entry(i) + 12);
            return big ? lo << 32 | hi : hi << 32 | lo;
        }

        /** Whether entry i's name is empty. */
        boolean nameIsEmpty(int i) {
            return str[(int) nameOffset(i)] == 0;
        }

        /** Whether entry i's name starts with these (ASCII) bytes. */
        boolean nameStartsWith(int i, byte[] prefix) {
            int at = (int) nameOffset(i);
            if (prefix.length > strLen - at) {
                return false;
            }
            return java.util.Arrays.equals(str, at, at + prefix.length, prefix, 0, prefix.length);
        }

        /** The table's names: entry i's name runs from {@link #nameStart} to {@link #nameEnd}. */
        byte[] names() {
            return str;
        }

        /** Where entry i's name starts in {@link #names()}, after its first {@code skip} bytes. */
        int nameStart(int i, int skip) {
            return (int) nameOffset(i) + skip;
        }

        /** Where entry i's name ends (its NUL, or the table's end). */
        int nameEnd(int i) {
            int k = (int) nameOffset(i);
            while (k < strLen && str[k] != 0) {
                k++;
            }
            return k;
        }

        /** Entry i's name without its first {@code skip} bytes (which the caller checked exist). */
        String name(int i, int skip) {
            int from = nameStart(i, skip);
            return new String(str, from, Math.max(0, nameEnd(i) - from), StandardCharsets.ISO_8859_1);
        }
    }

    /** Per thread: the copies of .symtab and .strtab a {@link SymbolTable} reads. */
    private static final ThreadLocal<byte[][]> SYMTAB_SCRATCH =
            ThreadLocal.withInitial(() -> new byte[][] {new byte[64 * 1024], new byte[64 * 1024]});

    /** Reads an unsigned 32-bit word at an absolute file offset. */
    long u32(long offset) {
        return Integer.toUnsignedLong(buf.getInt((int) offset));
    }
}
