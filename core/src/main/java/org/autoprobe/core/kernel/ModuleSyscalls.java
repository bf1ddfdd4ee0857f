package org.autoprobe.core.kernel;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The three module system calls, each wrapped once: a refusal comes back as a
 * {@link KernelCallException} naming the call, the module and the errno. The native implementation
 * lives in {@code org.autoprobe.core.sys}; everything else takes this interface.
 */
public interface ModuleSyscalls {
    /** {@code delete_module} flag: do not wait for the module's users (always passed, as kmod does). */
    int O_NONBLOCK = 04000;
    /** {@code delete_module} flag: force the unload ({@code rmmod -f}). */
    int O_TRUNC = 01000;

    /**
     * Opens the file read-only and calls {@code finit_module(fd, params, flags)}.
     *
     * @param module the module's name, for the failure
     */
    void finitModule(String module, Path file, String params, int flags) throws KernelCallException;

    /** {@code init_module(image, len, params)} with the bytes from the buffer's position to its limit. */
    void initModule(String module, ByteBuffer image, String params) throws KernelCallException;

    /** {@code delete_module(name, flags)}. */
    void deleteModule(String name, int flags) throws KernelCallException;
}
