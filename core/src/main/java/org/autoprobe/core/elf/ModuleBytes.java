package org.autoprobe.core.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.autoprobe.core.compress.Compression;
import org.autoprobe.core.compress.Decompressor;
import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleSignature;
import org.autoprobe.core.sign.SignatureTrailer;

/** Turns a module file's bytes into its ELF image: decompression and the signature trailer. */
public final class ModuleBytes {
    /** Files smaller than this are read into the heap; larger ones are mapped (only the pages used are read). */
    static final int MAP_THRESHOLD = 64 * 1024;

    private ModuleBytes() {
    }

    /**
     * The ELF image of a module file: plain files are mapped read-only (or read when small), compressed
     * ones (zstd, xz, gzip, told by their magic bytes) are decompressed whole in memory.
     */
    public static ByteBuffer load(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ModuleFormatException(source, "file too large (" + size + " bytes)");
            }
            ByteBuffer raw;
            if (size < MAP_THRESHOLD) {
                raw = ByteBuffer.allocate((int) size);
                while (raw.hasRemaining() && ch.read(raw, raw.position()) >= 0) {
                    // positional reads: the buffer's position is the file offset
                }
                raw.flip();
            } else {
                raw = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            }
            return image(source, raw);
        }
    }

    /** Reads a module image without keeping it: what {@link #withImage} hands to its reader. */
    @FunctionalInterface
    interface ImageReader<T> {
        T read(ByteBuffer image) throws ModuleFormatException;
    }

    /** Per thread: the buffer small files are read into when the image is not kept. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAP_THRESHOLD));

    /**
     * Hands a module file's ELF image to {@code reader}, which must not keep the buffer or a view of
     * it: small plain files are read into a per-thread buffer that the next call reuses, so reading a
     * whole tree (depmod) leaves no garbage per file. Otherwise as {@link #load}.
     */
    static <T> T withImage(Path file, ImageReader<T> reader) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size >= MAP_THRESHOLD) {
                if (size > Integer.MAX_VALUE) {
                    throw new ModuleFormatException(source, "file too large (" + size + " bytes)");
                }
                return reader.read(image(source, ch.map(FileChannel.MapMode.READ_ONLY, 0, size)));
            }
            ByteBuffer raw = SCRATCH.get();
            raw.clear().limit((int) size);
            while (raw.hasRemaining() && ch.read(raw, raw.position()) >= 0) {
                // positional reads: the buffer's position is the file offset
            }
            raw.flip();
            return reader.read(image(source, raw));
        }
    }

    /** The ELF image of a module file's bytes (decompressed when compressed; detected by magic bytes). */
    static ByteBuffer decompress(String source, byte[] raw) throws ModuleFormatException {
        return image(source, ByteBuffer.wrap(raw));
    }

    /** The ELF image of a module file's bytes, from the buffer's position to its limit. */
    static ByteBuffer image(String source, ByteBuffer raw) throws ModuleFormatException {
        Compression c = Compression.detect(raw);
        return c == Compression.NONE ? raw : Decompressor.decompress(source, c, raw);
    }

    /** The appended signature of a module image, if any (a trailer that does not check out is none, as in kmod). */
    static Optional<ModuleSignature> signature(String source, ByteBuffer image) {
        return SignatureTrailer.parse(image);
    }
}
