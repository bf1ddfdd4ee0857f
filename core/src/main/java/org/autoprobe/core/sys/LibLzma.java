package org.autoprobe.core.sys;

import java.io.IOException;
import java.nio.ByteBuffer;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import org.tukaani.xz.SeekableInputStream;
import org.tukaani.xz.SeekableXZInputStream;

/**
 * xz decompression by the system's liblzma (the library kmod itself uses), one call per module:
 * {@code lzma_stream_buffer_decode} into a buffer of the size the stream's index gives. Debian 13
 * ships every module as {@code .ko.xz}, and depmod decompresses all 4,230 of them; liblzma's decoder
 * takes about two thirds of the CPU time of the pure-Java one (org.tukaani:xz), which stays the
 * fallback: when liblzma is missing, and for any stream liblzma does not decode whole (so that a
 * damaged module gets the same message either way).
 */
public final class LibLzma {
    private static final int LZMA_OK = 0;
    private static final int LZMA_STREAM_END = 1;
    /** {@code LZMA_CONCATENATED}: decode concatenated streams, as xz and tukaani's XZInputStream do. */
    private static final int LZMA_CONCATENATED = 0x08;
    /**
     * The decoder's memory limit: a module's dictionary is 1 MiB (Debian's kernel build), xz -9's
     * 64 MiB; a stream asking for more is left to the Java decoder, which reports it.
     */
    static final long MEMLIMIT = 256L << 20;

    private static final boolean AVAILABLE = bind();

    private LibLzma() {
    }

    private static boolean bind() {
        if (Boolean.getBoolean("autoprobe.xz.java")) {
            return false; // the pure-Java decoder only (benchmarks, tests)
        }
        try {
            Native.register(LibLzma.class, NativeLibrary.getInstance("liblzma.so.5"));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** Whether liblzma is used. */
    public static boolean available() {
        return AVAILABLE;
    }

    private static native int lzma_stream_buffer_decode(long[] memlimit, int flags, Pointer allocator, Pointer in,
                                                        long[] inPos, long inSize, byte[] out, long[] outPos, long outSize);

    /**
     * The decompressed bytes of the xz data in {@code compressed} (a direct buffer, e.g. a mapped
     * file, or a heap one), at most {@code maxImage} bytes, or null when liblzma is not there or
     * did not decode it whole.
     */
    public static byte[] decompress(ByteBuffer compressed, int maxImage) {
        if (!AVAILABLE) {
            return null;
        }
        ByteBuffer in = compressed.slice();
        long size;
        try {
            size = new SeekableXZInputStream(new BufferInput(in.duplicate())).length();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (size < 0 || size > maxImage) {
            return null;
        }
        ByteBuffer direct = in;
        if (!in.isDirect()) {
            direct = ByteBuffer.allocateDirect(in.remaining());
            direct.put(in.duplicate()).flip();
        }
        byte[] out = new byte[(int) size];
        long[] inPos = {0};
        long[] outPos = {0};
        int rc = lzma_stream_buffer_decode(new long[] {MEMLIMIT}, LZMA_CONCATENATED, null, Native.getDirectBufferPointer(direct),
                inPos, direct.remaining(), out, outPos, size);
        if ((rc != LZMA_OK && rc != LZMA_STREAM_END) || outPos[0] != size || inPos[0] != direct.remaining()) {
            return null;
        }
        return out;
    }

    /** tukaani's seekable input over a buffer: only the stream's index is read through it. */
    private static final class BufferInput extends SeekableInputStream {
        private final ByteBuffer buf;

        BufferInput(ByteBuffer buf) {
            this.buf = buf;
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
        public long length() {
            return buf.limit();
        }

        @Override
        public long position() {
            return buf.position();
        }

        @Override
        public void seek(long pos) throws IOException {
            if (pos < 0 || pos > buf.limit()) {
                throw new IOException("seek to " + pos + " outside 0.." + buf.limit());
            }
            buf.position((int) pos);
        }
    }
}
