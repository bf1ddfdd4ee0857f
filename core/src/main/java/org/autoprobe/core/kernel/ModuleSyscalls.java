package org.autoprobe.core.kernel;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.ToIntFunction;

import org.autoprobe.core.errno.SyscallException;

/**
 * The three module system calls, each wrapped once: a refusal comes back as a
 * {@link SyscallException} naming the call, the module and the errno. The native implementation
 * lives in {@code org.autoprobe.core.sys}; everything else takes this interface.
 */
public interface ModuleSyscalls {
    /** Binds what the calls need ahead of the first one (see {@link Kernel#prepare()}); by default nothing. */
    default void prepare() {
    }

    /** {@code delete_module} flag: do not wait for the module's users (always passed, as kmod does). */
    int O_NONBLOCK = 04000;
    /** {@code delete_module} flag: force the unload ({@code rmmod -f}). */
    int O_TRUNC = 01000;

    /** How many of a module file's first bytes {@link #finitModule(String, Path, String, ToIntFunction)} reads. */
    int HEAD = 8;

    /**
     * Opens the file read-only once, reads its first bytes (up to {@link #HEAD}; fewer for a short
     * file) and asks {@code flags} what to pass: a value of zero or more goes to
     * {@code finit_module(fd, params, flags)} on that same descriptor; a negative one means "not this
     * way" and nothing is called. kmod opens a module once too: it reads the magic bytes and hands the
     * same descriptor to the kernel.
     *
     * @param module the module's name, for the failure
     * @return whether {@code finit_module} was called (and succeeded)
     */
    boolean finitModule(String module, Path file, String params, ToIntFunction<ByteBuffer> flags)
            throws SyscallException;

    /** {@code finit_module} with fixed flags, whatever the file's first bytes. */
    default void finitModule(String module, Path file, String params, int flags) throws SyscallException {
        finitModule(module, file, params, head -> flags);
    }

    /** {@code init_module(image, len, params)} with the bytes from the buffer's position to its limit. */
    void initModule(String module, ByteBuffer image, String params) throws SyscallException;

    /** {@code delete_module(name, flags)}. */
    void deleteModule(String name, int flags) throws SyscallException;
}
