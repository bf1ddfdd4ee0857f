package org.autoprobe.core.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import org.junit.jupiter.api.Test;

/** Every kind of broken module gives a ModuleFormatException naming the file and the problem, never another exception. */
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

    @Test
    void sectionNameOffsetOutsideShstrtab() {
        byte[] b = MODULE.clone();
        le(b).putInt(header(b, 1), 100000);
        assertTrue(problem(b).matches("section 1 name offset 100000 lies outside the section name table \\(\\d+ bytes\\)"), problem(b));
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

    @Test
    void symbolNameOffsetOutsideStrtab() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        long symOff = le(b).getLong(header(b, symtab) + 0x18);
        le(b).putInt((int) symOff + 2 * 24, 99999);
        assertTrue(problem(b).matches("\\.symtab entry 2 \\(offset \\d+\\) name offset 99999 lies outside \\.strtab \\(\\d+ bytes\\)"),
                problem(b));
    }

    @Test
    void symtabSizeNotAMultipleOfItsEntry() throws Exception {
        byte[] b = MODULE.clone();
        int symtab = sectionIndex(b, ".symtab");
        le(b).putLong(header(b, symtab) + 0x20, 24 * 3 + 5);
        assertTrue(problem(b).matches("\\.symtab \\(section \\d+ at offset \\d+\\) size 77 is not a multiple of 24"), problem(b));
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
    }
}
