package org.autoprobe.daemon.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.KernelCall;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.resolve.ModuleState;

/**
 * A kernel that loads nothing: it records each insert ({@code insmod PATH PARAMS}) and from then on
 * reports that module live, on top of what the real kernel has live. For {@code coldplug --dry-run}
 * and for tests on a machine whose kernel cannot load modules. Thread-safe.
 */
public final class RecordingKernel implements Kernel {
    private final ModuleState real;
    private final Set<String> inserted = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new ArrayList<>();

    /** @param real what the running kernel has live (e.g. {@code /sys/module}) */
    public RecordingKernel(ModuleState real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    /** The inserts asked for, in order: {@code insmod PATH PARAMS}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
        String name = ModuleNames.fromPath(file);
        synchronized (this) {
            if (!inserted.add(name)) {
                throw KernelCall.FINIT_MODULE.failure(name, Errno.EEXIST);
            }
            calls.add("insmod " + file + " " + (parameters == null ? "" : parameters));
        }
    }

    @Override
    public void remove(String name, boolean force) throws SyscallException {
        throw KernelCall.DELETE_MODULE.failure(name, Errno.EPERM);
    }

    @Override
    public List<LoadedModule> loaded() {
        return List.of();
    }

    @Override
    public Optional<InitState> initState(String name) {
        return inserted.contains(name) || real.isLive(name) ? Optional.of(InitState.LIVE) : Optional.empty();
    }

    @Override
    public boolean isLive(String name) {
        return inserted.contains(name) || real.isLive(name);
    }

    @Override
    public OptionalInt refcount(String name) {
        return OptionalInt.empty();
    }

    @Override
    public List<String> holders(String name) {
        return List.of();
    }

    @Override
    public OptionalLong size(String name) {
        return OptionalLong.empty();
    }

    @Override
    public Map<String, String> parameters(String name) {
        return Map.of();
    }
}
