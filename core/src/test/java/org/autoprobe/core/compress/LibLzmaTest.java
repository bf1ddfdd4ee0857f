package org.autoprobe.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

import org.autoprobe.core.module.ModuleFormatException;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** liblzma's decoding (through JNA) gives what the pure-Java decoder gives, and declines what it cannot decode whole. */
class LibLzmaTest {
    private static byte[] xz(byte[] data, int check) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (XZOutputStream out = new XZOutputStream(b, new LZMA2Options(6), check)) {
            out.write(data);
        }
        return b.toByteArray();
    }

    private static byte[] sample(int n, long seed) {
        byte[] data = new byte[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : "ELF module text ".charAt(i % 16));
        }
        return data;
    }

    @Test
    void liblzmaIsHereAndDecodesWhatWasWritten() throws IOException {
        assertTrue(org.autoprobe.core.sys.LibLzma.available(), "liblzma.so.5 (every Debian system has it: kmod links it)");
        for (int n : new int[] {0, 1, 4096, 300_000}) {
            byte[] data = sample(n, n);
            for (int check : new int[] {org.tukaani.xz.XZ.CHECK_CRC32, org.tukaani.xz.XZ.CHECK_CRC64, org.tukaani.xz.XZ.CHECK_NONE}) {
                byte[] packed = xz(data, check);
                assertArrayEquals(data, org.autoprobe.core.sys.LibLzma.decompress(ByteBuffer.wrap(packed), Decompressor.MAX_IMAGE), n + " bytes");
                ByteBuffer direct = ByteBuffer.allocateDirect(packed.length).put(packed).flip();
                assertArrayEquals(data, org.autoprobe.core.sys.LibLzma.decompress(direct, Decompressor.MAX_IMAGE));
            }
        }
    }

    @Test
    void concatenatedStreamsAreOneImageAsForTheJavaDecoder() throws IOException {
        byte[] a = sample(5000, 1);
        byte[] b = sample(7000, 2);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(xz(a, org.tukaani.xz.XZ.CHECK_CRC32));
        both.write(xz(b, org.tukaani.xz.XZ.CHECK_CRC32));
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.write(a);
        want.write(b);
        assertArrayEquals(want.toByteArray(), org.autoprobe.core.sys.LibLzma.decompress(ByteBuffer.wrap(both.toByteArray()), Decompressor.MAX_IMAGE));
    }

    @Test
    void aDamagedTruncatedOrOversizedStreamIsLeftToTheJavaDecoder() throws IOException {
        byte[] packed = xz(sample(100_000, 3), org.tukaani.xz.XZ.CHECK_CRC32);
        byte[] flipped = packed.clone();
        flipped[packed.length / 2] ^= 0x55;
        assertNull(org.autoprobe.core.sys.LibLzma.decompress(ByteBuffer.wrap(flipped), Decompressor.MAX_IMAGE));
        assertNull(org.autoprobe.core.sys.LibLzma.decompress(ByteBuffer.wrap(java.util.Arrays.copyOf(packed, packed.length - 20)), Decompressor.MAX_IMAGE));
        assertNull(org.autoprobe.core.sys.LibLzma.decompress(ByteBuffer.wrap(packed), 99_999), "larger than allowed");
        assertNull(org.autoprobe.core.sys.LibLzma.decompress(ByteBuffer.wrap(new byte[] {1, 2, 3}), Decompressor.MAX_IMAGE));
        // the module reader's message for it is the Java decoder's, as before
        ModuleFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModuleFormatException.class,
                () -> Decompressor.decompress("x.ko.xz", Compression.XZ, ByteBuffer.wrap(flipped)));
        assertTrue(e.getMessage().contains("corrupt xz stream"), e.getMessage());
    }
}
