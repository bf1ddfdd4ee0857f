package org.autoprobe.core.compress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import org.autoprobe.core.module.ModuleFormatException;
import org.tukaani.xz.XZInputStream;

/** Decompresses a whole module image in memory (no temporary files). */
public final class Decompressor {
    /** Larger decompressed images are refused: no module comes near it, and arrays stop at 2 GiB. */
    static final int MAX_IMAGE = 1 << 30;

    private Decompressor() {
    }

    public static ByteBuffer decompress(String source, Compression kind, ByteBuffer compressed) throws ModuleFormatException {
        String what = kind.name().toLowerCase(java.util.Locale.ROOT);
        if (kind == Compression.XZ) {
            byte[] image = org.autoprobe.core.sys.LibLzma.decompress(compressed, MAX_IMAGE);
            if (image != null) {
                return ByteBuffer.wrap(image);
            }
        }
        try (InputStream in = open(source, kind, new ByteBufferInputStream(compressed))) {
            return ByteBuffer.wrap(readAll(source, what, in));
        } catch (ModuleFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // xz reports CorruptedInputException/EOFException, gzip ZipException/EOFException, zstd ZstdIOException
            String msg = e instanceof java.io.EOFException ? "unexpected end of compressed data"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ModuleFormatException(source, "corrupt " + what + " stream: " + msg, e);
        }
    }

    private static InputStream open(String source, Compression kind, InputStream in) throws IOException {
        switch (kind) {
            case XZ:
                return new XZInputStream(in);
            case GZIP:
                return new GZIPInputStream(in, 64 * 1024);
            case ZSTD:
                return ZstdStreams.open(source, in); // separate class: zstd-jni's native library loads only here
            default:
                throw new IllegalArgumentException("not compressed: " + kind);
        }
    }

    private static byte[] readAll(String source, String what, InputStream in) throws IOException {
        byte[] buf = new byte[256 * 1024];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (buf.length >= MAX_IMAGE) {
                    throw new ModuleFormatException(source, what + " stream decompresses to more than " + MAX_IMAGE + " bytes");
                }
                buf = Arrays.copyOf(buf, Math.min(MAX_IMAGE, buf.length * 2));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
            if (len == MAX_IMAGE && in.read() >= 0) {
                throw new ModuleFormatException(source, what + " stream decompresses to more than " + MAX_IMAGE + " bytes");
            }
        }
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    /** An input stream over a buffer's remaining bytes (a mapped file needs no copy). */
    private static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer buf;

        ByteBufferInputStream(ByteBuffer buf) {
            this.buf = buf.slice();
        }

        @Override
        public int read() {
            return buf.hasRemaining() ? Byte.toUnsignedInt(buf.get()) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!buf.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return buf.remaining();
        }
    }
}
