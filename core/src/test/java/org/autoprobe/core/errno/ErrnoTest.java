package org.autoprobe.core.errno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void namesAndMessages() {
        assertEquals("EEXIST", Errno.EEXIST.name());
        assertEquals("Key was rejected by service", Errno.EKEYREJECTED.message());
        assertEquals("E300", Errno.of(300).name());
        assertEquals("Unknown error 300", Errno.of(300).message());
        assertEquals("EAGAIN (Resource temporarily unavailable)", Errno.EAGAIN.toString());
        assertThrows(IllegalArgumentException.class, () -> Errno.of(0));
        assertThrows(IllegalArgumentException.class, () -> Errno.of(-4));
    }

    @Test
    void theConstantsAreLinuxsNumbersWithTheirNames() {
        assertEquals(4, Errno.EINTR.value());
        assertEquals("EINTR (Interrupted system call)", Errno.EINTR.toString());
        assertEquals("ERANGE (Numerical result out of range)", Errno.ERANGE.toString());
        assertEquals("EMFILE", Errno.EMFILE.name());
        assertEquals("ENFILE", Errno.ENFILE.name());
        assertEquals("ECONNREFUSED (Connection refused)", Errno.ECONNREFUSED.toString());
        assertEquals("EINPROGRESS", Errno.EINPROGRESS.name());
        for (Errno e : new Errno[] {Errno.EPERM, Errno.ENOENT, Errno.ESRCH, Errno.EINTR, Errno.EIO, Errno.ENOEXEC,
                Errno.EBADF, Errno.EAGAIN, Errno.ENOMEM, Errno.EACCES, Errno.EFAULT, Errno.EBUSY, Errno.EEXIST,
                Errno.ENODEV, Errno.EINVAL, Errno.ENFILE, Errno.EMFILE, Errno.EPIPE, Errno.ERANGE, Errno.ENOSYS,
                Errno.ENOBUFS, Errno.ECONNREFUSED, Errno.EINPROGRESS, Errno.ENOKEY, Errno.EKEYREJECTED}) {
            assertTrue(e.known(), e.name());
            assertEquals(e, Errno.named(e.name()), e.name());
        }
    }

    @Test
    void valuesCompareByNumber() {
        assertEquals(Errno.EEXIST, Errno.of(17));
        assertEquals(Errno.EEXIST, new Errno(17));
        assertNotEquals(Errno.EEXIST, Errno.ENOENT);
        assertSame(Errno.of(11), Errno.of(11), "the common numbers are made once");
        assertEquals(Errno.of(5000), Errno.of(5000));
    }

    @Test
    void namesParseBack() {
        assertEquals(Errno.ENODEV, Errno.named("ENODEV"));
        assertEquals(Errno.of(999), Errno.named("E999"));
        assertNull(Errno.named("ENOTHING"));
        assertNull(Errno.named("E0"));
    }
}
