package org.autoprobe.core.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.KernelCall;
import org.autoprobe.core.kernel.ModuleSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real system calls, with arguments no kernel accepts: whatever this machine's kernel allows
 * (ENOSYS in a sandbox, EPERM without CAP_SYS_MODULE, the real refusal otherwise), the failure must
 * come back as the right call, module and a plausible errno.
 */
class NativeModuleSyscallsTest {
    private static final String NAME = "autoprobe_no_such_module_x";

    @TempDir
    Path dir;

    private final NativeModuleSyscalls calls = NativeModuleSyscalls.system();

    @Test
    void deletingAModuleNobodyLoadedIsRefusedWithItsErrno() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> calls.deleteModule(NAME, ModuleSyscalls.O_NONBLOCK));
        assertEquals(KernelCall.DELETE_MODULE.text(), e.call());
        assertEquals(NAME, e.argument());
        assertTrue(Set.of(Errno.ENOENT, Errno.ENOSYS, Errno.EPERM).contains(e.errno()), e.getMessage());
        assertTrue(e.getMessage().startsWith("delete_module(" + NAME + ") failed: " + e.errno().name() + " ("),
                e.getMessage());
    }

    @Test
    void garbageIsNeverAModule() throws IOException {
        Path junk = Files.write(dir.resolve("junk.ko"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Set<Errno> plausible = Set.of(Errno.ENOEXEC, Errno.ENOSYS, Errno.EPERM, Errno.EINVAL, Errno.EFAULT);
        SyscallException f = assertThrows(SyscallException.class, () -> calls.finitModule("junk", junk, "", 0));
        assertEquals(KernelCall.FINIT_MODULE.text(), f.call());
        assertTrue(plausible.contains(f.errno()), f.getMessage());
        SyscallException i = assertThrows(SyscallException.class,
                () -> calls.initModule("junk", ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), ""));
        assertEquals(KernelCall.INIT_MODULE.text(), i.call());
        assertTrue(plausible.contains(i.errno()), i.getMessage());
    }

    @Test
    void aMissingFileFailsAtOpenNamingTheFile() {
        Path missing = dir.resolve("missing.ko");
        SyscallException e = assertThrows(SyscallException.class, () -> calls.finitModule("m", missing, "", 0));
        assertEquals(KernelCall.OPEN.text(), e.call());
        assertEquals(missing.toString(), e.argument());
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void theErrnoTableSaysWhatTheCLibrarySays() {
        for (int value : Errno.knownValues()) {
            assertEquals(NativeModuleSyscalls.strerror(value), Errno.of(value).message(), "errno " + value);
        }
    }

    @Test
    void syscallNumbersAreKnownForTheCommonArchitectures() {
        assertEquals(313, SyscallNumbers.forArch("amd64").orElseThrow().finitModule());
        assertEquals(273, SyscallNumbers.forArch("aarch64").orElseThrow().finitModule());
        assertTrue(SyscallNumbers.forArch("pdp11").isEmpty());
    }
}
