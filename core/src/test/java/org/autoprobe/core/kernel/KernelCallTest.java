package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.junit.jupiter.api.Test;

class KernelCallTest {
    @Test
    void meaningsDependOnTheCall() {
        assertEquals("unknown symbol in module or unknown parameter (see dmesg)", KernelCall.INIT_MODULE.meaning(Errno.ENOENT));
        assertEquals("not loaded", KernelCall.DELETE_MODULE.meaning(Errno.ENOENT));
        assertEquals("invalid module format", KernelCall.FINIT_MODULE.meaning(Errno.ENOEXEC));
        assertEquals("module signature rejected by the kernel", KernelCall.FINIT_MODULE.meaning(Errno.EKEYREJECTED));
        assertEquals("in use", KernelCall.DELETE_MODULE.meaning(Errno.EBUSY));
        assertEquals("in use", KernelCall.DELETE_MODULE.meaning(Errno.EAGAIN));
        assertEquals("in use: another load of this module is in progress", KernelCall.FINIT_MODULE.meaning(Errno.EBUSY));
        assertEquals("no such file or directory", KernelCall.OPEN.meaning(Errno.ENOENT));
        assertEquals("no such device", KernelCall.FINIT_MODULE.meaning(Errno.ENODEV));
        assertEquals("unknown error 300", KernelCall.DELETE_MODULE.meaning(Errno.of(300)));
    }

    @Test
    void aFailureCarriesTheCallTheTargetAndTheMeaning() {
        SyscallException e = KernelCall.FINIT_MODULE.failure("e1000e", Errno.EEXIST);
        assertEquals("finit_module", e.call());
        assertEquals("e1000e", e.argument());
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("already loaded", e.meaning());
        assertEquals("finit_module(e1000e) failed: EEXIST (File exists): already loaded", e.getMessage());
    }

    @Test
    void aDetailFollowsTheMeaning() {
        assertEquals("delete_module(mii) failed: EAGAIN (Resource temporarily unavailable): in use by: e1000",
                KernelCall.DELETE_MODULE.failure("mii", Errno.EAGAIN, " by: e1000").getMessage());
        assertEquals("init_module(x) failed: ENOSYS (Function not implemented): this kernel cannot load modules on pdp11",
                KernelCall.INIT_MODULE.failure("x", Errno.ENOSYS, " on pdp11").getMessage());
        assertEquals("not loaded", KernelCall.DELETE_MODULE.failure("x", Errno.ENOENT, "").meaning());
    }
}
