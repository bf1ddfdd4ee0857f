package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.testing.InMemoryKernel;

class InMemoryKernelTest {
    static final Path MII = Path.of("/m/mii.ko");
    static final Path RTL = Path.of("/m/8139too.ko");
    static final Path CP = Path.of("/m/8139cp.ko");

    private final InMemoryKernel k = new InMemoryKernel().define(MII, "mii").define(RTL, "8139too", "mii")
            .define(CP, "8139cp", "mii");

    private Errno insertErrno(Path f, String params) {
        return assertThrows(SyscallException.class, () -> k.insert(f, params, InsertFlags.NONE)).errno();
    }

    private Errno removeErrno(String name, boolean force) {
        return assertThrows(SyscallException.class, () -> k.remove(name, force)).errno();
    }

    @Test
    void aModuleNeedsItsDependenciesAndCountsItsHolders() throws Exception {
        assertEquals(Errno.ENOENT, insertErrno(RTL, ""));
        k.insert(MII, "", InsertFlags.NONE);
        k.insert(RTL, "", InsertFlags.NONE);
        k.insert(CP, "", InsertFlags.NONE);
        assertEquals(OptionalInt.of(2), k.refcount("mii"));
        assertEquals(List.of("8139too", "8139cp"), k.holders("mii"));
        assertEquals(List.of("8139cp", "8139too", "mii"), k.loaded().stream().map(LoadedModule::name).toList(),
                "newest first, as /proc/modules");
        assertEquals("mii 16384 2 8139too,8139cp, Live 0x0000000000000000", k.loaded().get(2).procLine());
        assertTrue(k.isLive("mii"));
        assertEquals(Errno.EEXIST, insertErrno(MII, ""));
    }

    @Test
    void removalRefusesHoldersEvenForcedAndOtherUsersUnlessForced() throws Exception {
        k.insert(MII, "", InsertFlags.NONE);
        k.insert(RTL, "", InsertFlags.NONE);
        assertEquals(Errno.EAGAIN, removeErrno("mii", false));
        assertEquals(Errno.EAGAIN, removeErrno("mii", true));
        k.use("8139too");
        assertEquals(Errno.EAGAIN, removeErrno("8139too", false));
        k.remove("8139too", true);
        assertEquals(OptionalInt.of(0), k.refcount("mii"));
        assertEquals(List.of(), k.holders("mii"));
        k.remove("mii", false);
        assertEquals(Errno.ENOENT, removeErrno("mii", false));
        assertEquals(List.of("finit_module mii  0", "finit_module 8139too  0", "delete_module mii 4000",
                "delete_module mii 5000", "delete_module 8139too 4000", "delete_module 8139too 5000",
                "delete_module mii 4000", "delete_module mii 4000"), k.calls());
    }

    @Test
    void permanentModulesNeedForce() throws Exception {
        k.permanent(MII).insert(MII, "", InsertFlags.NONE);
        assertEquals(Errno.EBUSY, removeErrno("mii", false));
        k.remove("mii", true);
        assertFalse(k.isLive("mii"));
    }

    @Test
    void parametersAreCheckedAndKept() throws Exception {
        k.acceptOnly(MII, "debug", "verbose");
        assertEquals(Errno.ENOENT, insertErrno(MII, "nosuch=1"));
        k.insert(MII, "debug=3 verbose", InsertFlags.NONE);
        assertEquals(Map.of("debug", "3", "verbose", "Y"), k.parameters("mii"));
    }

    @Test
    void injectedFailuresBuiltinsAndUnknownFiles() throws Exception {
        k.failInsert("mii", Errno.EKEYREJECTED).builtin("crc32c");
        assertEquals(Errno.EKEYREJECTED, insertErrno(MII, ""));
        k.clearFailures();
        k.insert(MII, "", InsertFlags.NONE);
        k.failRemove("mii", Errno.EPERM);
        assertEquals(Errno.EPERM, removeErrno("mii", false));
        assertEquals(Optional.of(InitState.BUILTIN), k.initState("crc32c"));
        assertFalse(k.isLive("crc32c"));
        assertEquals(Errno.ENOENT, removeErrno("crc32c", false));
        SyscallException open = assertThrows(SyscallException.class,
                () -> k.insert(Path.of("/nope.ko"), "", InsertFlags.NONE));
        assertEquals(KernelCall.OPEN.text(), open.call());
    }
}
