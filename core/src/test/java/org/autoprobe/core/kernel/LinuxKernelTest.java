package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;

import org.autoprobe.core.elf.ElfBuilder;
import org.autoprobe.core.elf.ElfFile;
import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.testing.SysTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxKernelTest {
    private static final byte[] MODULE = allocatedVersions(ElfBuilder.module().info("license", "GPL")
            .info("vermagic", "6.1.0 SMP mod_unload").needs("printk").version("printk", 0x77L).build());

    /** The builder leaves section flags 0; real modules have SHF_ALLOC on __versions. */
    private static byte[] allocatedVersions(byte[] elf) {
        try {
            int index = ElfFile.parse("fixture", ByteBuffer.wrap(elf)).section("__versions").orElseThrow().index();
            ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            int at = (int) (b.getLong(0x28) + (long) index * Short.toUnsignedInt(b.getShort(0x3A))) + 8;
            b.putLong(at, b.getLong(at) | 2);
            return elf;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path root;

    private final RecordingSyscalls calls = new RecordingSyscalls();

    private LinuxKernel kernel() {
        return new LinuxKernel(SystemRoot.under(root), calls);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(root.resolve(name), bytes);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void aPlainFileGoesByFinitModuleWithTheForceFlags() throws Exception {
        Path f = write("e1000e.ko", MODULE);
        kernel().insert(f, "debug=1", InsertFlags.NONE);
        kernel().insert(f, "", new InsertFlags(true, false));
        kernel().insert(f, "", InsertFlags.FORCE);
        assertEquals(List.of("finit_module e1000e e1000e.ko [debug=1] 0", "finit_module e1000e e1000e.ko [] 1",
                "finit_module e1000e e1000e.ko [] 3"), calls.calls);
    }

    @Test
    void aCompressedFileIsDecompressedForInitModuleWhenTheKernelDoesNotSayItCan() throws Exception {
        Path f = write("snd-hda.ko.gz", gzip(MODULE));
        kernel().insert(f, "x=1", InsertFlags.NONE);
        assertEquals(List.of("init_module snd_hda " + MODULE.length + " [x=1]"), calls.calls);
        assertArrayEquals(MODULE, calls.lastImage);
    }

    @Test
    void aCompressedFileGoesByFinitModuleWhenTheKernelDecompressesThatFormat() throws Exception {
        Path f = write("snd-hda.ko.gz", gzip(MODULE));
        new SysTree(root).file("sys/module/compression", "gzip\n");
        kernel().insert(f, "", InsertFlags.NONE);
        new SysTree(root).file("sys/module/compression", "zstd\n");
        kernel().insert(f, "", InsertFlags.NONE);
        assertEquals(List.of("finit_module snd_hda snd-hda.ko.gz [] 4", "init_module snd_hda " + MODULE.length + " []"),
                calls.calls);
    }

    @Test
    void withoutFinitModuleTheImageGoesByInitModule() throws Exception {
        Path f = write("mii.ko", MODULE);
        calls.answer(KernelCall.FINIT_MODULE, Errno.ENOSYS);
        kernel().insert(f, "", InsertFlags.NONE);
        assertEquals(List.of("finit_module mii mii.ko [] 0", "init_module mii " + MODULE.length + " []"), calls.calls);
        assertArrayEquals(MODULE, calls.lastImage);
    }

    @Test
    void aForcedImageLosesItsVersionsAndVermagic() throws Exception {
        Path f = write("mii.ko", MODULE);
        calls.answer(KernelCall.FINIT_MODULE, Errno.ENOSYS);
        kernel().insert(f, "", InsertFlags.FORCE);
        ElfFile before = ElfFile.parse("before", ByteBuffer.wrap(MODULE));
        ElfFile after = ElfFile.parse("after", ByteBuffer.wrap(calls.lastImage));
        int versions = before.section("__versions").orElseThrow().index();
        assertTrue((sectionFlags(MODULE, versions) & 2) != 0, "fixture's __versions is allocated");
        assertEquals(0, sectionFlags(calls.lastImage, versions) & 2);
        assertTrue(before.strings(".modinfo").contains("vermagic=6.1.0 SMP mod_unload"));
        assertEquals(List.of("license=GPL"), after.strings(".modinfo"));
        assertEquals(MODULE.length, calls.lastImage.length);
    }

    private static long sectionFlags(byte[] elf, int index) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        return b.getLong((int) (shoff + (long) index * shentsize) + 8);
    }

    @Test
    void refusalsNameTheCallTheModuleTheErrnoAndWhatItMeans() throws Exception {
        Path f = write("e1000e.ko", MODULE);
        calls.answer(KernelCall.FINIT_MODULE, Errno.EEXIST);
        SyscallException e = assertThrows(SyscallException.class, () -> kernel().insert(f, "", InsertFlags.NONE));
        assertEquals("finit_module(e1000e) failed: EEXIST (File exists): already loaded", e.getMessage());
        assertEquals(KernelCall.FINIT_MODULE.text(), e.call());
        assertEquals("e1000e", e.argument());
        SyscallException missing = assertThrows(SyscallException.class,
                () -> kernel().insert(root.resolve("nosuch.ko"), "", InsertFlags.NONE));
        assertEquals(KernelCall.OPEN.text(), missing.call());
        assertEquals(Errno.ENOENT, missing.errno());
        SyscallException corrupt = assertThrows(SyscallException.class,
                () -> kernel().insert(write("bad.ko.gz", new byte[] {0x1F, (byte) 0x8B, 1, 2, 3}), "", InsertFlags.NONE));
        assertEquals(KernelCall.READ.text(), corrupt.call());
        assertEquals(Errno.ENOEXEC, corrupt.errno());
        assertTrue(corrupt.getMessage().contains("bad.ko.gz"), corrupt.getMessage());
    }

    @Test
    void removalPassesNonblockAndTruncOnlyForForceAndNamesHoldersWhenInUse() throws Exception {
        new SysTree(root).loaded("mii", "live", 20480, 1, "8139too");
        kernel().remove("e1000e", false);
        kernel().remove("e1000e", true);
        assertEquals(List.of("delete_module e1000e 4000", "delete_module e1000e 5000"), calls.calls);
        calls.answer(KernelCall.DELETE_MODULE, Errno.EAGAIN);
        SyscallException e = assertThrows(SyscallException.class, () -> kernel().remove("mii", false));
        assertEquals("delete_module(mii) failed: EAGAIN (Resource temporarily unavailable): in use by: 8139too",
                e.getMessage());
        calls.answer(KernelCall.DELETE_MODULE, Errno.ENOENT);
        assertEquals("delete_module(snd) failed: ENOENT (No such file or directory): not loaded",
                assertThrows(SyscallException.class, () -> kernel().remove("snd", false)).getMessage());
    }

    @Test
    void stateComesFromProcAndSys() throws Exception {
        new SysTree(root).loaded("mii", "live", 20480, 1, "8139too").loaded("8139too", "live", 45056, 0)
                .file("proc/modules", "8139too 45056 0 - Live 0x0000000000000000\n"
                        + "mii 20480 1 8139too, Live 0x0000000000000000\n")
                .builtin("printk", "time", "Y");
        LinuxKernel k = kernel();
        assertEquals(List.of("8139too", "mii"), k.loaded().stream().map(LoadedModule::name).toList());
        assertTrue(k.isLive("mii"));
        assertFalse(k.isLive("printk"));
        assertEquals(Optional.of(InitState.BUILTIN), k.initState("printk"));
        assertEquals(OptionalInt.of(1), k.refcount("mii"));
        assertEquals(List.of("8139too"), k.holders("mii"));
        assertEquals(OptionalLong.of(45056), k.size("8139too"));
        assertEquals(OptionalLong.empty(), k.size("nosuch"));
        Files.delete(root.resolve("sys/module/mii/coresize"));
        assertEquals(OptionalLong.of(20480), k.size("mii"), "falls back on /proc/modules");
    }

    @Test
    void noProcModulesIsAnIoError() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> kernel().loaded());
    }
}
