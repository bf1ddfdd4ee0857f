package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.resolve.ModuleState;

/**
 * The running kernel's module side: insert, remove, and what is loaded. {@link LinuxKernel} is the
 * real one (system calls, {@code /proc} and {@code /sys} under a {@link org.autoprobe.core.root.SystemRoot});
 * the tests' InMemoryKernel (in the core test-jar) behaves like it.
 */
public interface Kernel extends ModuleState {
    /**
     * Inserts a module file ({@code finit_module}, or {@code init_module} on its decompressed image).
     *
     * @param file       the module file (plain or compressed)
     * @param parameters the module parameters, space-separated ({@code ""} for none)
     */
    void insert(Path file, String parameters, InsertFlags flags) throws SyscallException;

    /**
     * Gets ready for the first {@link #insert} (binds the system calls), so that a caller that knows
     * loads are coming can pay for that on another thread meanwhile. Does nothing by default.
     */
    default void prepare() {
    }

    /** {@code delete_module(name, O_NONBLOCK)}, with {@code O_TRUNC} when {@code force}. */
    void remove(String name, boolean force) throws SyscallException;

    /** The loaded modules as {@code /proc/modules} lists them (newest first). */
    List<LoadedModule> loaded() throws IOException;

    /** The module's state: LIVE/COMING/GOING while loaded, BUILTIN when built in and visible in sysfs; else empty. */
    Optional<InitState> initState(String name);

    /** Its use count ({@code refcnt}); empty when not loaded or unloading is not supported. */
    OptionalInt refcount(String name);

    /** The modules that use it, in the kernel's order. */
    List<String> holders(String name);

    /** Its core size ({@code coresize}, else {@code /proc/modules}); empty when not loaded. */
    OptionalLong size(String name);

    /** Its parameters and their current values. */
    Map<String, String> parameters(String name);

    @Override
    default boolean isLive(String name) {
        return initState(name).filter(s -> s == InitState.LIVE).isPresent();
    }
}
