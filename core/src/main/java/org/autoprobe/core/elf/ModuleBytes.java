package org.autoprobe.core.elf;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.autoprobe.core.module.ModuleSignature;

/** Turns a module file's bytes into its ELF image: decompression and the signature trailer. */
public final class ModuleBytes {
    private ModuleBytes() {
    }

    /** The ELF image of a module file's bytes (decompressed when compressed; detected by magic bytes). */
    public static ByteBuffer decompress(String source, byte[] raw) throws ModuleFormatException {
        return ByteBuffer.wrap(raw);
    }

    /** The appended signature of a module image, if any. */
    public static Optional<ModuleSignature> signature(String source, ByteBuffer image) {
        return Optional.empty();
    }
}
