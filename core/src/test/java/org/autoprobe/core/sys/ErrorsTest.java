package org.autoprobe.core.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Native;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.junit.jupiter.api.Test;

/** The errno as JNA keeps it per thread, set here with {@link Native#setLastError} as a failed call leaves it. */
class ErrorsTest {
    /** A call that fails with the given errno numbers in turn, then succeeds with {@code rc}. */
    private static Errors.IntCall failing(AtomicInteger calls, int rc, int... errnos) {
        return () -> {
            int i = calls.getAndIncrement();
            if (i < errnos.length) {
                Native.setLastError(errnos[i]);
                return -1;
            }
            Native.setLastError(0);
            return rc;
        };
    }

    @Test
    void lastReadsTheThreadsErrno() {
        Native.setLastError(Errno.ENOENT.value());
        assertEquals(Errno.ENOENT, Errors.last());
        Native.setLastError(0);
        assertEquals(Errno.EIO, Errors.last(), "a failure that left no errno is an I/O error");
    }

    @Test
    void checkPassesResultsThroughAndThrowsOnMinusOne() throws SyscallException {
        assertEquals(7, Errors.check(7, "socket", "AF_UNIX"));
        assertEquals(0L, Errors.check(0L, "read", "x"));
        Native.setLastError(Errno.EACCES.value());
        SyscallException e = assertThrows(SyscallException.class, () -> Errors.check(-1, "bind", "/run/x.sock"));
        assertEquals("bind", e.call());
        assertEquals("/run/x.sock", e.argument());
        assertEquals(Errno.EACCES, e.errno());
        assertEquals("bind(/run/x.sock) failed: EACCES (Permission denied)", e.getMessage());
        Native.setLastError(Errno.EPIPE.value());
        SyscallException l = assertThrows(SyscallException.class, () -> Errors.check(-1L, "send", "peer"));
        assertEquals("send(peer) failed: EPIPE (Broken pipe)", l.getMessage());
    }

    @Test
    void restartingCallsAgainWhileASignalInterrupts() {
        AtomicInteger calls = new AtomicInteger();
        int eintr = Errno.EINTR.value();
        assertEquals(42, Errors.restarting(failing(calls, 42, eintr, eintr, eintr)));
        assertEquals(4, calls.get());
    }

    @Test
    void restartingReturnsAnyOtherFailureWithItsErrno() {
        AtomicInteger calls = new AtomicInteger();
        assertEquals(-1, Errors.restarting(failing(calls, 0, Errno.EINTR.value(), Errno.EAGAIN.value())));
        assertEquals(2, calls.get());
        assertEquals(Errno.EAGAIN, Errors.last());
        assertFalse(Errors.interrupted());
    }

    @Test
    void restartingALongCall() {
        AtomicInteger calls = new AtomicInteger();
        Errors.IntCall c = failing(calls, 9, Errno.EINTR.value());
        assertEquals(9L, Errors.restarting((Errors.LongCall) () -> c.call()));
        assertEquals(2, calls.get());
        Native.setLastError(Errno.EINTR.value());
        assertTrue(Errors.interrupted());
    }

    @Test
    void aRealCallsErrnoComesThrough() {
        // close(-1) fails with EBADF on every Linux: the errno JNA saved after a real call
        SyscallException e = assertThrows(SyscallException.class,
                () -> Errors.check(LibC.INSTANCE.close(-1), "close", "-1"));
        assertEquals(Errno.EBADF, e.errno());
    }
}
