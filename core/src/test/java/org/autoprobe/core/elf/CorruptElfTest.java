package org.autoprobe.core.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSymbol;
import org.junit.jupiter.api.Test;

/**
 * A broken module either reads as libkmod reads it (a broken section skipped, the damage named) or
 * gives a ModuleFormatException naming the file and the problem; never another exception.
 */
class CorruptElfTest {
    private static final Path FILE = Path.of("/m/broken.ko");
    private static final byte[] MODULE = ElfBuilder.module().alias("pci:v*d*").info("license", "GPL")
            .exports("a_sym", "b_sym").needs("printk", "kmalloc").needsWeak("maybe").version("printk", 1L)
            .ksymtabString("a_sym").build();

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Offset of section header i in an ElfBuilder ELF64 little-endian module. */
    private static int header(byte[] b, int i) {
        return (int) le(b).getLong(0x28) + i * 64;
    }

    private static int sectionIndex(byte[] b, String name) throws Exception {
        return ElfFile.parse("x", ByteBuffer.wrap(b)).section(name).orElseThrow().index();
    }

    private static String problem(byte[] b) {
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(FILE, b));
        assertEquals(FILE.toString(), e.source());
        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        return e.problem();
    }

    @Test
    void badClassAndDataBytes() {
        byte[] b = MODULE.clone();
        b[4] = 3;
        assertEquals("invalid ELF class 3 at offset 4", problem(b));
        b = MODULE.clone();
        b[5] = 0;
        assertEquals("invalid ELF data encoding 0 at offset 5", problem(b));
    }

    @Test
    void sectionHeaderTableOutsideTheFile() {
        byte[] b = MODULE.clone();
        le(b).putLong(0x28, b.length - 10L);
        assertTrue(problem(b).contains("section headers at offset " + (b.length - 10)), problem(b));
        b = MODULE.clone();
        le(b).putLong(0x28, -1L);
        assertTrue(problem(b).contains("lie outside the file"), problem(b));
        b = MODULE.clone();
        le(b).putShort(0x3C, (short) 0xFFFF);
        assertTrue(problem(b).contains("65535 x 64 bytes"), problem(b));
    }

    /** Reads a module the way depmod does; the damage it names, or "" when none. */
    private static ModuleInfo forIndex(byte[] b) throws Exception {
        return ModuleReader.read(FILE, ByteBuffer.wrap(b), false);
    }

    private static final List<String> ALIASES = List.of("pci:v*d*");
    private static final List<String> NEEDS = List.of("printk", "kmalloc", "maybe");

    private static List<String> names(List<ModuleSymbol> symbols) {
        return symbols.stream().map(ModuleSymbol::name).toList();
    }

    @Test
    void sectionNameOffsetOutsideShstrtab() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        le(b).putInt(header(b, symtab), 100000);
        ModuleInfo m = forIndex(b);
        // libkmod skips a section whose name it cannot read: no .symtab, so exports from __ksymtab_strings
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertEquals(List.of(), m.needs());
        assertTrue(m.damage().orElseThrow().matches("section " + symtab + " \\(header at offset " + header(b, symtab)
                + "\\) name offset 100000 lies outside the section name table \\(\\d+ bytes\\); read the rest, as kmod does"),
                m.damage().orElseThrow());
    }

    /** A .symtab whose offset lies past the end of the file: .modinfo and __ksymtab_strings still read. */
    @Test
    void symtabOffsetOutsideTheFile() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        le(b).putLong(header(b, symtab) + 0x18, b.length + 100L);
        long size = le(b).getLong(header(b, symtab) + 0x20);
        ModuleInfo m = forIndex(b);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of("GPL"), m.values("license"));
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertEquals(List.of(), m.needs());
        assertEquals(".symtab: section " + symtab + " (header at offset " + header(b, symtab) + ": offset " + (b.length + 100)
                + ", size " + size + ") lies outside the file (" + b.length + " bytes); read the rest, as kmod does",
                m.damage().orElseThrow());
    }

    /** A .strtab whose size runs past the end of the file. */
    @Test
    void strtabSizeOutsideTheFile() throws Exception {
        byte[] b = MODULE.clone();
        int strtab = sectionIndex(b, ".strtab");
        le(b).putLong(header(b, strtab) + 0x20, 1L << 40);
        ModuleInfo m = forIndex(b);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertTrue(m.damage().orElseThrow().startsWith(".strtab: section " + strtab + " (header at offset " + header(b, strtab)
                + ": offset "), m.damage().orElseThrow());
        assertTrue(m.damage().orElseThrow().contains("size 1099511627776) lies outside the file"), m.damage().orElseThrow());
    }

    /** sh_link is not what finds .strtab (libkmod looks it up by name): a nonsense link changes nothing. */
    @Test
    void badSymtabLinkChangesNothing() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        le(b).putInt(header(b, symtab) + 0x28, 0xFFFF); // sh_link
        ModuleInfo m = forIndex(b);
        ModuleInfo whole = forIndex(MODULE);
        assertEquals(whole.modinfo(), m.modinfo());
        assertEquals(whole.exports(), m.exports());
        assertEquals(whole.needs(), m.needs());
        assertEquals(Optional.empty(), m.damage());
    }

    /** A __versions section outside the file: the symbols read without CRCs, as if it were missing. */
    @Test
    void versionsOutsideTheFile() throws Exception {
        byte[] b = MODULE.clone();
        int versions = sectionIndex(b, "__versions");
        le(b).putLong(header(b, versions) + 0x18, -8L);
        ModuleInfo m = forIndex(b);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(NEEDS, names(m.needs()));
        assertEquals(0L, m.needs().get(0).crc());
        assertTrue(m.damage().orElseThrow().startsWith("__versions: section " + versions), m.damage().orElseThrow());
    }

    /** A .modinfo outside the file: modinfo refuses the file; depmod reads its symbols. */
    @Test
    void modinfoOutsideTheFile() throws Exception {
        byte[] b = MODULE.clone();
        int modinfo = sectionIndex(b, ".modinfo");
        le(b).putLong(header(b, modinfo) + 0x20, b.length * 2L);
        assertTrue(problem(b).startsWith(".modinfo: section " + modinfo), problem(b));
        ModuleInfo m = forIndex(b);
        assertEquals(List.of(), m.modinfo());
        assertEquals(List.of("a_sym", "b_sym"), names(m.exports()));
        assertTrue(m.damage().orElseThrow().startsWith(".modinfo: section " + modinfo), m.damage().orElseThrow());
    }

    @Test
    void unusableSectionNameTable() throws Exception {
        byte[] b = MODULE.clone();
        le(b).putShort(0x3E, (short) 0);
        assertTrue(problem(b).startsWith("section name table (section 0"), problem(b));
        b = MODULE.clone();
        int shstrndx = le(b).getShort(0x3E);
        le(b).putInt(header(b, shstrndx) + 4, 8); // SHT_NOBITS
        assertTrue(problem(b).contains("NOBITS"), problem(b));
    }

    /**
     * An exported symbol's name outside .strtab: libkmod takes the exports from __ksymtab_strings
     * and still reads the undefined symbols (whose names are fine).
     */
    @Test
    void exportNameOffsetOutsideStrtab() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        long symOff = le(b).getLong(header(b, symtab) + 0x18);
        le(b).putInt((int) symOff + 2 * 24, 99999); // entry 2: __crc_b_sym
        ModuleInfo m = forIndex(b);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertEquals(NEEDS, names(m.needs()));
        assertTrue(m.damage().orElseThrow().matches(
                "\\.symtab entry 2 \\(offset " + (symOff + 48) + "\\) name offset 99999 lies outside \\.strtab \\(\\d+ bytes\\); read the rest, as kmod does"),
                m.damage().orElseThrow());
    }

    /** An undefined symbol's name outside .strtab: libkmod gives no dependency symbols at all. */
    @Test
    void undefinedNameOffsetOutsideStrtab() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        long symOff = le(b).getLong(header(b, symtab) + 0x18);
        le(b).putInt((int) symOff + 4 * 24, 99999); // entry 4: kmalloc
        ModuleInfo m = forIndex(b);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of(), m.needs());
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertTrue(m.damage().orElseThrow().startsWith(".symtab entry 4 "), m.damage().orElseThrow());
    }

    /** A truncated .symtab (not a whole number of entries) and a truncated .strtab. */
    @Test
    void truncatedTables() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        le(b).putLong(header(b, symtab) + 0x20, 24 * 3 + 5);
        ModuleInfo m = forIndex(b);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertEquals(List.of(), m.needs());
        assertTrue(m.damage().orElseThrow().matches("\\.symtab \\(section \\d+ at offset \\d+\\) size 77 is not a multiple of 24; .*"),
                m.damage().orElseThrow());
        byte[] c = MODULE.clone();
        int strtab = sectionIndex(c, ".strtab");
        le(c).putLong(header(c, strtab) + 0x20, 3);
        m = forIndex(c);
        assertEquals(ALIASES, m.values("alias"));
        assertEquals(List.of("a_sym"), names(m.exports()));
        assertTrue(m.damage().orElseThrow().startsWith(".symtab entry 2 "), m.damage().orElseThrow());
    }

    @Test
    void overlappingAndNobitsSectionsAreHarmless() throws Exception {
        byte[] b = MODULE.clone();
        int modinfo = sectionIndex(b, ".modinfo");
        int strtab = sectionIndex(b, ".strtab");
        // .strtab pointing at .modinfo: overlapping nonsense still reads (strings are bounded), or fails clearly
        le(b).putLong(header(b, strtab) + 0x18, le(b).getLong(header(b, modinfo) + 0x18));
        try {
            ModuleReader.read(FILE, b);
        } catch (ModuleFormatException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": "));
        }
        byte[] c = MODULE.clone();
        le(c).putInt(header(c, modinfo) + 4, 8); // .modinfo as NOBITS with an offset far away
        le(c).putLong(header(c, modinfo) + 0x18, 1L << 40);
        assertEquals(List.of(), ModuleReader.read(FILE, c).modinfo());
    }

    @Provide
    Arbitrary<byte[]> modules() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((elf32, big, signedTrailer) -> {
                    ElfBuilder b = ElfBuilder.module().alias("usb:v*p*").info("parm", "x:int").exports("e1", "e2")
                            .needs("n1").needsWeak("w1").version("n1", 5L).version("module_layout", 9L).ksymtabString("e1");
                    if (elf32) {
                        b.elf32();
                    }
                    if (big) {
                        b.bigEndian();
                    }
                    byte[] m = b.build();
                    return signedTrailer ? DerWriter.signed(m, 1, 4, 2, new byte[0], new byte[0],
                            DerWriter.pkcs7(DerWriter.seq(DerWriter.attribute(DerWriter.OID_CN, "key")), new byte[] {1},
                                    DerWriter.OID_SHA256, new byte[64])) : m;
                });
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Integer, Integer>>> flips() {
        return Combinators.combine(Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 255))
                .as(Tuple::of).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 3000)
    void randomByteChangesParseOrFailClearly(@ForAll("modules") byte[] module, @ForAll("flips") List<Tuple.Tuple2<Integer, Integer>> flips) {
        byte[] b = module.clone();
        for (Tuple.Tuple2<Integer, Integer> f : flips) {
            // most changes go to the headers, where they matter most
            int at = f.get1() % 4 == 0 ? f.get1() % b.length : (f.get1() % 2 == 0 ? f.get1() % 64 : b.length - 1 - f.get1() % 40);
            b[Math.max(0, at)] = (byte) (int) f.get2();
        }
        parsesOrFailsClearly(b);
    }

    /**
     * Any change to the symbol tables' contents or to their headers' offset, size, link and info
     * fields leaves the .modinfo read (depmod's view): the aliases survive, as with kmod.
     */
    @Property(tries = 1000)
    void brokenSymbolTablesKeepTheAliases(@ForAll("flips") List<Tuple.Tuple2<Integer, Integer>> flips) throws Exception {
        byte[] b = MODULE.clone();
        ElfFile elf = ElfFile.parse("x", ByteBuffer.wrap(MODULE));
        List<ElfFile.Section> tables = new java.util.ArrayList<>();
        for (String name : new String[] {".symtab", ".strtab", "__versions", "__ksymtab_strings"}) {
            tables.add(elf.section(name).orElseThrow());
        }
        for (Tuple.Tuple2<Integer, Integer> f : flips) {
            ElfFile.Section t = tables.get(f.get1() % tables.size());
            int at = f.get1() % 3 == 0 ? header(b, t.index()) + 0x18 + (f.get1() >>> 3) % 0x28 // offset, size, link, info
                    : (int) t.offset() + (f.get1() >>> 2) % (int) t.size();
            b[at] = (byte) (int) f.get2();
        }
        assertEquals(ALIASES, forIndex(b).values("alias"));
        assertEquals(List.of("GPL"), forIndex(b).values("license"));
    }

    @Property(tries = 500)
    void truncationsParseOrFailClearly(@ForAll("modules") byte[] module, @ForAll int cut) {
        parsesOrFailsClearly(Arrays.copyOf(module, Math.floorMod(cut, module.length + 1)));
    }

    @Property(tries = 500)
    void headerFieldsSetToExtremesParseOrFailClearly(@ForAll("modules") byte[] module, @ForAll int field, @ForAll long value) {
        byte[] b = module.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(b[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int at = Math.floorMod(field, b.length - 8);
        buf.putLong(at, value);
        parsesOrFailsClearly(b);
    }

    private static void parsesOrFailsClearly(byte[] b) {
        try {
            ModuleReader.read(FILE, b);
        } catch (ModuleFormatException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": ") && !e.problem().isEmpty(), e.getMessage());
        }
        try {
            forIndex(b).damage().ifPresent(d -> assertTrue(d.endsWith("; read the rest, as kmod does"), d));
        } catch (ModuleFormatException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": ") && !e.problem().isEmpty(), e.getMessage());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
