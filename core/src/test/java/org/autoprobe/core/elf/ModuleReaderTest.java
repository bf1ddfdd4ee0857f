package org.autoprobe.core.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSymbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleReaderTest {
    private static final Path FILE = Path.of("/lib/modules/x/kernel/drivers/net/foo-bar.ko");

    @ParameterizedTest(name = "ELF{0} big-endian={1}")
    @CsvSource({"64,false", "64,true", "32,false", "32,true"})
    void readsEveryClassAndByteOrder(int bits, boolean big) throws Exception {
        ElfBuilder b = ElfBuilder.module().alias("pci:v00008086d*sv*sd*bc*sc*i*").info("license", "GPL")
                .info("depends", "mii").exports("foo_start", "foo_stop").needs("mii_read", "printk")
                .needsWeak("maybe_there").version("printk", 0xdeadbeefL).version("module_layout", 0x1234L);
        if (bits == 32) {
            b.elf32();
        }
        if (big) {
            b.bigEndian();
        }
        ModuleInfo m = ModuleReader.read(FILE, b.build());
        assertEquals("foo_bar", m.name());
        assertEquals(List.of("pci:v00008086d*sv*sd*bc*sc*i*"), m.aliases());
        assertEquals("GPL", m.first("license").orElseThrow());
        assertEquals(List.of("foo_start", "foo_stop"), m.exports().stream().map(ModuleSymbol::name).toList());
        assertEquals(List.of("mii_read", "printk", "maybe_there", "module_layout"),
                m.needs().stream().map(ModuleSymbol::name).toList());
        assertEquals(0xdeadbeefL, m.needs().get(1).crc());
        assertTrue(m.needs().get(2).weak());
    }

    @Test
    void exportsFallBackToKsymtabStringsWithoutCrcSymbols() throws Exception {
        ModuleInfo m = ModuleReader.read(FILE, ElfBuilder.module().ksymtabString("a_sym").ksymtabString("b_sym").build());
        assertEquals(List.of("a_sym", "b_sym"), m.exports().stream().map(ModuleSymbol::name).toList());
    }

    @Test
    void crcSymbolsWinOverKsymtabStrings() throws Exception {
        ModuleInfo m = ModuleReader.read(FILE, ElfBuilder.module().exports("real").ksymtabString("USB_STORAGE").build());
        assertEquals(List.of("real"), m.exports().stream().map(ModuleSymbol::name).toList());
    }

    @Test
    void badMagicNamesTheFile() {
        byte[] bytes = ElfBuilder.module().build();
        bytes[1] = 'X';
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(FILE, bytes));
        assertEquals(FILE + ": not an ELF file (bad magic at offset 0)", e.getMessage());
    }

    @Test
    void truncatedFileIsRefusedClearly() {
        byte[] bytes = ElfBuilder.module().alias("x").build();
        for (int len : new int[] {0, 10, 40, bytes.length / 2, bytes.length - 1}) {
            byte[] cut = Arrays.copyOf(bytes, len);
            ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(FILE, cut));
            assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        }
    }

    @Test
    void missingModinfoIsNotAModule() {
        ModuleFormatException e = assertThrows(ModuleFormatException.class,
                () -> ModuleReader.read(FILE, ElfBuilder.module().withoutModinfo().build()));
        assertTrue(e.problem().contains("no .modinfo"), e.getMessage());
    }

    @Test
    void sectionOutsideFileIsRefused() {
        byte[] bytes = ElfBuilder.module().alias("x").build();
        // first real section header (index 1): set its offset far beyond the end of the file
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        b.putLong((int) shoff + 64 + 0x18, 1L << 40);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(FILE, bytes));
        assertTrue(e.problem().contains("section 1") && e.problem().contains("outside the file"), e.getMessage());
    }
}
