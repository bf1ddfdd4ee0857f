package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.LinuxKernel;
import org.autoprobe.core.kernel.ModuleSyscalls;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.testing.InMemoryKernel;
import org.autoprobe.core.testing.SysTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** insmod, rmmod and lsmod. */
class SimpleToolsTest {
    @TempDir
    Path dir;

    private Path mii;
    private Path rtl;
    private InMemoryKernel kernel;

    private void setUp() throws IOException {
        mii = Files.write(dir.resolve("mii.ko"), new byte[] {0x7f, 'E', 'L', 'F'});
        rtl = Files.write(dir.resolve("8139too.ko"), new byte[] {0x7f, 'E', 'L', 'F'});
        kernel = new InMemoryKernel().define(mii, "mii").define(rtl, "8139too", "mii");
    }

    @Test
    void insmodJoinsParametersAndUsesItsOwnWording() throws Exception {
        setUp();
        Insmod insmod = new Insmod(kernel);
        assertEquals(new ToolResult(List.of(), List.of(), 0), insmod.run(List.of(mii.toString(), "a=1", "b=x y"),
                InsertFlags.FORCE));
        assertEquals(List.of("finit_module mii a=1 b=x y 3"), kernel.calls());
        assertEquals(new ToolResult(List.of(), List.of("insmod: ERROR: could not insert module " + mii + ": File exists"), 1),
                insmod.run(List.of(mii.toString()), InsertFlags.NONE));
        kernel.failInsert("8139too", Errno.ENOEXEC);
        assertEquals(List.of("insmod: ERROR: could not insert module " + rtl + ": Invalid module format"),
                insmod.run(List.of(rtl.toString()), InsertFlags.NONE).stderr());
        kernel.clearFailures();
        kernel.remove("mii", false);
        assertEquals(List.of("insmod: ERROR: could not insert module " + rtl + ": Unknown symbol in module"),
                insmod.run(List.of(rtl.toString()), InsertFlags.NONE).stderr());
        assertEquals(List.of("insmod: ERROR: could not load module /nope.ko: No such file or directory"),
                insmod.run(List.of("/nope.ko"), InsertFlags.NONE).stderr());
        assertEquals(new ToolResult(List.of(), List.of("insmod: ERROR: missing filename."), 1),
                insmod.run(List.of(), InsertFlags.NONE));
    }

    @Test
    void rmmodChecksBeforeAskingAndTriesEveryName() throws Exception {
        setUp();
        kernel.insert(mii, "", InsertFlags.NONE);
        kernel.insert(rtl, "", InsertFlags.NONE);
        kernel.builtin("crc32c");
        Rmmod rmmod = new Rmmod(kernel, name -> name.equals("printk"));
        ToolResult r = rmmod.run(List.of("mii", "printk", "crc32c", "nosuch", "8139too"), false, 0);
        assertEquals(List.of("rmmod: ERROR: Module mii is in use by: 8139too", "rmmod: ERROR: Module printk is builtin.",
                "rmmod: ERROR: Module crc32c is builtin.", "rmmod: ERROR: Module nosuch is not currently loaded"), r.stderr());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("delete_module 8139too 4000"),
                kernel.calls().stream().filter(c -> c.startsWith("delete")).toList());
        kernel.insert(rtl, "", InsertFlags.NONE);
        kernel.use("8139too");
        assertEquals(List.of("rmmod: ERROR: Module 8139too is in use"), rmmod.run(List.of("8139too"), false, 0).stderr());
        assertEquals(0, rmmod.run(List.of("8139too", rtl.toString().replace("8139too.ko", "mii.ko")), true, 0).exitCode(),
                "forced: no checks; a path names its module");
        assertEquals(List.of(), kernel.loaded());
    }

    @Test
    void rmmodReportsTheKernelsRefusalTwiceAsKmodDoes() throws Exception {
        setUp();
        kernel.insert(mii, "", InsertFlags.NONE);
        kernel.failRemove("mii", Errno.EPERM);
        assertEquals(new ToolResult(List.of(), List.of("rmmod: ERROR: could not remove 'mii': Operation not permitted",
                "rmmod: ERROR: could not remove module mii.ko: Operation not permitted"), 1),
                new Rmmod(kernel, n -> false).run(List.of("mii.ko"), true, 0));
        assertEquals("snd_hda", Rmmod.nameOf("snd-hda.ko"), "a name stops at its first dot, dashes become underscores");
    }

    @Test
    void lsmodHasKmodsLayout() throws Exception {
        setUp();
        kernel.insert(mii, "", InsertFlags.NONE);
        kernel.insert(rtl, "", InsertFlags.NONE);
        assertEquals(new ToolResult(List.of("Module                  Size  Used by",
                "8139too                16384  0",
                "mii                    16384  1 8139too"), List.of(), 0), new Lsmod(kernel).run());
    }

    @Test
    void lsmodReadsSysfsLikeKmodAndFailsWithoutProcModules() throws Exception {
        new SysTree(dir).loaded("a_very_long_module_name_x", "live", 123456789, 2, "b").module("b", null);
        Files.createDirectories(dir.resolve("proc"));
        ModuleSyscalls none = new ModuleSyscalls() {
            @Override
            public boolean finitModule(String module, Path file, String params,
                    java.util.function.ToIntFunction<java.nio.ByteBuffer> flags) {
                throw new AssertionError();
            }

            @Override
            public void initModule(String module, java.nio.ByteBuffer image, String params) {
                throw new AssertionError();
            }

            @Override
            public void deleteModule(String name, int flags) {
                throw new AssertionError();
            }
        };
        LinuxKernel k = new LinuxKernel(SystemRoot.under(dir), none);
        assertEquals(new ToolResult(List.of(), List.of("Error: could not get list of modules: No such file or directory"), 1),
                new Lsmod(k).run());
        Files.writeString(dir.resolve("proc/modules"), "a_very_long_module_name_x 123456789 2 b, Live 0x0\n"
                + "b 4096 0 - Live 0x0\n");
        ToolResult r = new Lsmod(k).run();
        assertEquals(List.of("Module                  Size  Used by", "a_very_long_module_name_x 123456789  2 b",
                "b" + " ".repeat(23) + "4096  -2"), r.stdout());
        assertTrue(r.stderr().isEmpty());
    }

    @Test
    void insmodsWordsForTheKernelsErrnos() {
        assertEquals("Invalid module format", Insmod.meaning(Errno.ENOEXEC));
        assertEquals("Unknown symbol in module", Insmod.meaning(Errno.ENOENT));
        assertEquals("Module has wrong symbol version", Insmod.meaning(Errno.ESRCH));
        assertEquals("Invalid parameters", Insmod.meaning(Errno.EINVAL));
        assertEquals("No such device", Insmod.meaning(Errno.ENODEV));
        assertEquals("Unknown error 300", Insmod.meaning(Errno.of(300)));
    }
}
