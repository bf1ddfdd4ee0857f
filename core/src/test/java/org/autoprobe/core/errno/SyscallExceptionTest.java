package org.autoprobe.core.errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class SyscallExceptionTest {
    @Test
    void theMessageNamesTheCallItsArgumentAndTheErrno() {
        SyscallException e = new SyscallException("bind", "uevent socket, group 1", Errno.EPERM);
        assertEquals("bind(uevent socket, group 1) failed: EPERM (Operation not permitted)", e.getMessage());
        assertEquals("bind", e.call());
        assertEquals("uevent socket, group 1", e.argument());
        assertEquals(Errno.EPERM, e.errno());
        assertNull(e.meaning());
    }

    @Test
    void aMeaningFollowsTheErrno() {
        SyscallException e = new SyscallException("finit_module", "e1000e", Errno.EEXIST, "already loaded");
        assertEquals("finit_module(e1000e) failed: EEXIST (File exists): already loaded", e.getMessage());
        assertEquals("already loaded", e.meaning());
    }

    @Test
    void withoutAnArgumentOnlyTheCallIsNamed() {
        assertEquals("gettid failed: ENOSYS (Function not implemented)",
                new SyscallException("gettid", null, Errno.ENOSYS).getMessage());
    }

    @Test
    void anErrnoTheTableLacksKeepsItsNumber() {
        assertEquals("read(/x) failed: E300 (Unknown error 300)", new SyscallException("read", "/x", Errno.of(300)).getMessage());
    }

    @Test
    void itIsAnIoExceptionAndNeedsACallAndAnErrno() {
        assertInstanceOf(IOException.class, new SyscallException("poll", "2 descriptors", Errno.EINTR));
        assertThrows(NullPointerException.class, () -> new SyscallException(null, "x", Errno.EIO));
        assertThrows(NullPointerException.class, () -> new SyscallException("read", "x", null));
    }
}
