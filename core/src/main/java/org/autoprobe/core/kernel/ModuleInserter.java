package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.autoprobe.core.compress.Compression;
import org.autoprobe.core.elf.ModuleBytes;
import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.module.ModuleFormatException;

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

    void insert(String name, Path file, String params, InsertFlags flags) throws SyscallException {
        // one open: the first bytes say whether the kernel can take the file as it is
        try {
            if (calls.finitModule(name, file, params, head -> finitFlags(Compression.detect(head), flags))) {
                return;
            }
        } catch (SyscallException e) {
            if (!e.errno().equals(Errno.ENOSYS)) {
                throw e;
            }
        }
        ByteBuffer image = image(file);
        if (flags.forced()) {
            try {
                image = ForcedImage.strip(file.toString(), image, flags);
            } catch (ModuleFormatException e) {
                throw KernelCall.READ.failure(file.toString(), Errno.ENOEXEC, ": " + e.getMessage());
            }
        }
        calls.initModule(name, image, params);
    }

    private boolean kernelDecompresses(Compression c) {
        return kernelCompression.get().map(k -> k.equals(c.name().toLowerCase(Locale.ROOT))).orElse(false);
    }

    /** finit_module's flags for a file of that compression, or -1 when init_module must take it. */
    private int finitFlags(Compression c, InsertFlags flags) {
        if (c == Compression.NONE) {
            return flags.kernelFlags();
        }
        return kernelDecompresses(c) ? flags.kernelFlags() | InsertFlags.MODULE_INIT_COMPRESSED_FILE : -1;
    }

    private static ByteBuffer image(Path file) throws SyscallException {
        try {
            return ModuleBytes.load(file);
        } catch (ModuleFormatException e) {
            throw KernelCall.READ.failure(file.toString(), Errno.ENOEXEC, ": " + e.getMessage());
        } catch (IOException e) {
            throw KernelCall.READ.failure(file.toString(), errnoOf(e));
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
