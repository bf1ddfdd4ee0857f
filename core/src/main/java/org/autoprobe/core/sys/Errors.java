package org.autoprobe.core.sys;

import com.sun.jna.Native;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;

/**
 * How every native edge reads a failed call's result: the errno the call left, a
 * {@link SyscallException} for a result of -1, and the restart of a call a signal interrupted
 * ({@code EINTR}). The edges of the other modules ({@code netlink/sys}, {@code daemon/sys}) use it
 * too, so that a failed call is reported one way everywhere.
 *
 * <p>The errno is JNA's copy ({@link Native#getLastError()}), kept per thread after each native
 * call: read it right after the call, before any other native call of the same thread.
 */
public final class Errors {
    private Errors() {
    }

    /** A C call with an {@code int} result, -1 (or any negative value) on failure. */
    @FunctionalInterface
    public interface IntCall {
        int call();
    }

    /** A C call with a {@code long} ({@code ssize_t}) result, -1 on failure. */
    @FunctionalInterface
    public interface LongCall {
        long call();
    }

    /** The errno the thread's last native call left; {@link Errno#EIO} when it left none. */
    public static Errno last() {
        int e = Native.getLastError();
        return e > 0 ? Errno.of(e) : Errno.EIO;
    }

    /** The last native call's failure as an exception naming {@code call} and {@code argument} (or null). */
    public static SyscallException failure(String call, String argument) {
        return new SyscallException(call, argument, last());
    }

    /** Returns {@code rc}, or throws the last errno naming {@code call} and {@code argument} if it is negative. */
    public static int check(int rc, String call, String argument) throws SyscallException {
        if (rc < 0) {
            throw failure(call, argument);
        }
        return rc;
    }

    /** Returns {@code rc}, or throws the last errno naming {@code call} and {@code argument} if it is negative. */
    public static long check(long rc, String call, String argument) throws SyscallException {
        if (rc < 0) {
            throw failure(call, argument);
        }
        return rc;
    }

    /**
     * Makes the call, again as long as it fails with {@link Errno#EINTR}, and returns its first other
     * result: a negative one leaves its errno for {@link #last()}, {@link #check} or {@link #failure}.
     */
    public static int restarting(IntCall c) {
        while (true) {
            int rc = c.call();
            if (rc >= 0 || !interrupted()) {
                return rc;
            }
        }
    }

    /** {@link #restarting(IntCall)} for a call with a {@code long} result. */
    public static long restarting(LongCall c) {
        while (true) {
            long rc = c.call();
            if (rc >= 0 || !interrupted()) {
                return rc;
            }
        }
    }

    /** Whether the last native call was interrupted by a signal. */
    public static boolean interrupted() {
        return Errno.EINTR.equals(last());
    }
}
