package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.autoprobe.core.elf.Compression;
import org.autoprobe.core.elf.ModuleBytes;
import org.autoprobe.core.elf.ModuleFormatException;

/**
 * How a module file reaches the kernel. A plain file goes by {@code finit_module} with the force
 * flags; a compressed one too, with {@code MODULE_INIT_COMPRESSED_FILE}, when the kernel says it
 * decompresses that format ({@code /sys/module/compression}); otherwise it is decompressed here and
 * handed to {@code init_module}. A kernel without {@code finit_module} (ENOSYS) gets
 * {@code init_module} too, with the forced parts stripped from the image, as kmod does.
 */
final class ModuleInserter {
    private final ModuleSyscalls calls;
    private final Supplier<Optional<String>> kernelCompression;

    /** @param kernelCompression the format the kernel decompresses, asked once per insert */
    ModuleInserter(ModuleSyscalls calls, Supplier<Optional<String>> kernelCompression) {
        this.calls = calls;
        this.kernelCompression = kernelCompression;
    }

    void insert(String name, Path file, String params, InsertFlags flags) throws KernelCallException {
        Compression c = compressionOf(file);
        if (c == Compression.NONE || kernelDecompresses(c)) {
            int kflags = flags.kernelFlags() | (c == Compression.NONE ? 0 : InsertFlags.MODULE_INIT_COMPRESSED_FILE);
            try {
                calls.finitModule(name, file, params, kflags);
                return;
            } catch (KernelCallException e) {
                if (e.errno().value() != Errno.ENOSYS.value()) {
                    throw e;
                }
            }
        }
        ByteBuffer image = image(file);
        if (flags.forced()) {
            try {
                image = ForcedImage.strip(file.toString(), image, flags);
            } catch (ModuleFormatException e) {
                throw new KernelCallException(KernelCall.READ, file.toString(), Errno.ENOEXEC, ": " + e.getMessage());
            }
        }
        calls.initModule(name, image, params);
    }

    private boolean kernelDecompresses(Compression c) {
        return kernelCompression.get().map(k -> k.equals(c.name().toLowerCase(Locale.ROOT))).orElse(false);
    }

    private static Compression compressionOf(Path file) throws KernelCallException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // a short file simply has no magic
            }
            head.flip();
            return Compression.detect(head);
        } catch (IOException e) {
            throw new KernelCallException(KernelCall.OPEN, file.toString(), errnoOf(e), null);
        }
    }

    private static ByteBuffer image(Path file) throws KernelCallException {
        try {
            return ModuleBytes.load(file);
        } catch (ModuleFormatException e) {
            throw new KernelCallException(KernelCall.READ, file.toString(), Errno.ENOEXEC, ": " + e.getMessage());
        } catch (IOException e) {
            throw new KernelCallException(KernelCall.READ, file.toString(), errnoOf(e), null);
        }
    }

    /** The errno an I/O failure most likely carried. */
    static Errno errnoOf(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        return Errno.EIO;
    }
}
