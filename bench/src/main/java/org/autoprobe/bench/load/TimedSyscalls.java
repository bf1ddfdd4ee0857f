package org.autoprobe.bench.load;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.ToIntFunction;
import java.util.Objects;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.ModuleSyscalls;

/**
 * The module system calls, timed: {@link System#nanoTime()} around each delegated call, summed. This
 * is the "raw system call" time (the JNA call, and for {@code finit_module} the file's open and
 * close, which take microseconds against the call's milliseconds).
 */
final class TimedSyscalls implements ModuleSyscalls {
    private final ModuleSyscalls calls;
    private long nanos;
    private int count;

    TimedSyscalls(ModuleSyscalls calls) {
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    /** Time and number of calls since the last reset. */
    long nanos() {
        return nanos;
    }

    int count() {
        return count;
    }

    void reset() {
        nanos = 0;
        count = 0;
    }

    @Override
    public boolean finitModule(String module, Path file, String params, ToIntFunction<ByteBuffer> flags)
            throws SyscallException {
        long t = System.nanoTime();
        try {
            return calls.finitModule(module, file, params, flags);
        } finally {
            add(t);
        }
    }

    @Override
    public void initModule(String module, ByteBuffer image, String params) throws SyscallException {
        long t = System.nanoTime();
        try {
            calls.initModule(module, image, params);
        } finally {
            add(t);
        }
    }

    @Override
    public void deleteModule(String name, int flags) throws SyscallException {
        long t = System.nanoTime();
        try {
            calls.deleteModule(name, flags);
        } finally {
            add(t);
        }
    }

    private void add(long start) {
        nanos += System.nanoTime() - start;
        count++;
    }
}
