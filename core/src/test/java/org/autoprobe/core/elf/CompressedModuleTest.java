package org.autoprobe.core.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import org.autoprobe.core.compress.Compression;
import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSymbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class CompressedModuleTest {
    private static final byte[] MODULE = ElfBuilder.module().alias("usb:v1234p*").info("license", "GPL")
            .exports("frob").needs("printk").version("printk", 0x77L).build();

    static byte[] compress(Compression kind, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (kind) {
            case XZ -> new XZOutputStream(bytes, new LZMA2Options());
            case GZIP -> new GZIPOutputStream(bytes);
            case ZSTD -> new ZstdOutputStream(bytes);
            case NONE -> bytes;
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static void assertIsTheModule(ModuleInfo m) {
        assertEquals(List.of("usb:v1234p*"), m.aliases());
        assertEquals(List.of("frob"), m.exports().stream().map(ModuleSymbol::name).toList());
        assertEquals(0x77L, m.needs().get(0).crc());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void compressedModulesAreToldByMagicAndReadInMemory(Compression kind, @TempDir Path dir) throws Exception {
        byte[] packed = compress(kind, MODULE);
        assertEquals(kind, Compression.detect(java.nio.ByteBuffer.wrap(packed)));
        Path file = dir.resolve("frob-drv.ko.xz");
        assertIsTheModule(ModuleReader.read(file, packed));
        // the name does not decide: a plain name over compressed bytes, and the other way round
        Path plainName = Files.write(dir.resolve("frob-drv.ko"), packed);
        ModuleInfo m = ModuleReader.read(plainName);
        assertIsTheModule(m);
        assertEquals("frob_drv", m.name());
        assertTrue(Files.list(dir).allMatch(p -> p.getFileName().toString().startsWith("frob-drv.ko")), "no temporary files");
    }

    @Test
    void largePlainModulesAreMappedAndReadTheSame(@TempDir Path dir) throws Exception {
        byte[] big = ElfBuilder.module().alias("x").section(".big", new byte[ModuleBytes.MAP_THRESHOLD * 2]).build();
        Path file = Files.write(dir.resolve("big.ko"), big);
        assertEquals(List.of("x"), ModuleReader.read(file).aliases());
        assertEquals(List.of("x"), ModuleReader.read(Files.write(dir.resolve("big.ko.zst"), compress(Compression.ZSTD, big)))
                .aliases());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"XZ", "GZIP", "ZSTD"})
    void corruptStreamsNameTheFileAndTheProblem(Compression kind, @TempDir Path dir) throws Exception {
        byte[] packed = compress(kind, MODULE);
        byte[] truncated = Arrays.copyOf(packed, packed.length / 2);
        byte[] garbled = packed.clone();
        for (int i = 12; i < garbled.length - 8; i += 3) {
            garbled[i] ^= 0x5A;
        }
        for (byte[] bad : new byte[][] {truncated, garbled}) {
            Path file = Files.write(dir.resolve("bad.ko"), bad);
            ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(file));
            assertEquals(file.toString(), e.source());
            String name = kind.name().toLowerCase(java.util.Locale.ROOT);
            // a garbled stream may still decompress to garbage, which then fails as ELF
            assertTrue(e.problem().contains("corrupt " + name + " stream") || e.problem().contains("ELF"), e.getMessage());
        }
        Path cut = Files.write(dir.resolve("cut.ko"), truncated);
        ModuleFormatException e = assertThrows(ModuleFormatException.class, () -> ModuleReader.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": corrupt " + kind.name().toLowerCase(java.util.Locale.ROOT) + " stream"),
                e.getMessage());
    }

    @Test
    void magicAloneIsACorruptStream() {
        ModuleFormatException e = assertThrows(ModuleFormatException.class,
                () -> ModuleReader.read(Path.of("m.ko"), new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}));
        assertTrue(e.problem().startsWith("corrupt xz stream"), e.getMessage());
    }
}
