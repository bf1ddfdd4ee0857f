package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    }

    @Test
    void explanationsDependOnTheCall() {
        assertEquals("unknown symbol in module or unknown parameter (see dmesg)",
                new KernelCallException(KernelCall.INIT_MODULE, "m", Errno.ENOENT).explanation());
        assertEquals("not loaded", new KernelCallException(KernelCall.DELETE_MODULE, "m", Errno.ENOENT).explanation());
        assertEquals("invalid module format",
                new KernelCallException(KernelCall.FINIT_MODULE, "m", Errno.ENOEXEC).explanation());
        assertEquals("module signature rejected by the kernel",
                new KernelCallException(KernelCall.FINIT_MODULE, "m", Errno.EKEYREJECTED).explanation());
        assertEquals("in use", new KernelCallException(KernelCall.DELETE_MODULE, "m", Errno.EBUSY).explanation());
        assertEquals("no such file or directory",
                new KernelCallException(KernelCall.OPEN, "/x.ko", Errno.ENOENT).explanation());
    }
}
