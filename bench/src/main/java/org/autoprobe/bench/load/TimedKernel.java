package org.autoprobe.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LoadedModule;

/**
 * A {@link Kernel} that delegates and sums {@link System#nanoTime()} in two buckets: {@link #insert}
 * and {@link #remove} (the system calls plus what {@code LinuxKernel} does around them: the
 * compression sniff, the holders on EBUSY), and every state question (sysfs, {@code /proc/modules}),
 * which is part of the overhead but worth seeing on its own.
 */
final class TimedKernel implements Kernel {
    private final Kernel kernel;
    private long callNanos;
    private long stateNanos;
    private int stateQueries;

    TimedKernel(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    long callNanos() {
        return callNanos;
    }

    long stateNanos() {
        return stateNanos;
    }

    int stateQueries() {
        return stateQueries;
    }

    void reset() {
        callNanos = 0;
        stateNanos = 0;
        stateQueries = 0;
    }

    @Override
    public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
        long t = System.nanoTime();
        try {
            kernel.insert(file, parameters, flags);
        } finally {
            callNanos += System.nanoTime() - t;
        }
    }

    @Override
    public void remove(String name, boolean force) throws SyscallException {
        long t = System.nanoTime();
        try {
            kernel.remove(name, force);
        } finally {
            callNanos += System.nanoTime() - t;
        }
    }

    @Override
    public List<LoadedModule> loaded() throws IOException {
        long t = System.nanoTime();
        try {
            return kernel.loaded();
        } finally {
            state(t);
        }
    }

    @Override
    public Optional<InitState> initState(String name) {
        long t = System.nanoTime();
        try {
            return kernel.initState(name);
        } finally {
            state(t);
        }
    }

    @Override
    public OptionalInt refcount(String name) {
        long t = System.nanoTime();
        try {
            return kernel.refcount(name);
        } finally {
            state(t);
        }
    }

    @Override
    public List<String> holders(String name) {
        long t = System.nanoTime();
        try {
            return kernel.holders(name);
        } finally {
            state(t);
        }
    }

    @Override
    public OptionalLong size(String name) {
        long t = System.nanoTime();
        try {
            return kernel.size(name);
        } finally {
            state(t);
        }
    }

    @Override
    public Map<String, String> parameters(String name) {
        long t = System.nanoTime();
        try {
            return kernel.parameters(name);
        } finally {
            state(t);
        }
    }

    @Override
    public boolean isLive(String name) {
        long t = System.nanoTime();
        try {
            return kernel.isLive(name);
        } finally {
            state(t);
        }
    }

    private void state(long start) {
        stateNanos += System.nanoTime() - start;
        stateQueries++;
    }
}
