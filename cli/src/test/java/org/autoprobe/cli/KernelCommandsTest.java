package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lsmod, rmmod and modprobe -r over fixture /sys and /proc trees (no system call is reached). */
class KernelCommandsTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.main(args);
    }

    @BeforeEach
    void tree() throws IOException {
        TwoModuleSystem.write(tmp);
    }

    @Test
    void lsmodPrintsKmodsLayout() {
        CliRun r = run("lsmod", "--sysroot", tmp.toString());
        assertEquals(new CliRun(0, "Module                  Size  Used by\n"
                + "8139too                45056  0\n"
                + "mii                    20480  1 8139too\n", ""), r);
    }

    @Test
    void lsmodWithoutProcModules() throws IOException {
        Files.delete(tmp.resolve("proc/modules"));
        assertEquals(new CliRun(1, "", "Error: could not get list of modules: No such file or directory\n"),
                run("lsmod", "--sysroot", tmp.toString()));
    }

    @Test
    void rmmodRefusesWhatIsHeldOrAbsentBeforeAskingTheKernel() {
        assertEquals(new CliRun(1, "", "rmmod: ERROR: Module mii is in use by: 8139too\n"
                + "rmmod: ERROR: Module nosuch is not currently loaded\n"),
                run("rmmod", "--sysroot", tmp.toString(), "mii", "nosuch"));
    }

    @Test
    void modprobeRemoveRefusesAModuleInUseAndIgnoresOneNotLoaded() {
        String[] base = {"modprobe", "--sysroot", tmp.toString(), "-d", tmp.resolve("root").toString(), "-S", "6.1.0-t",
                "-C", tmp.resolve("no-config").toString()};
        assertEquals(new CliRun(1, "", "modprobe: FATAL: Module mii is in use.\n"), run(concat(base, "-r", "mii")));
        assertEquals(new CliRun(0, "", ""), run(concat(base, "-r", "ehci")));
        assertEquals(new CliRun(1, "", "modprobe: FATAL: Module crc32c is builtin.\n"), run(concat(base, "-r", "crc32c")));
        assertEquals(new CliRun(0, "", ""), run(concat(base, "crc32c")), "builtin: nothing to insert");
        assertEquals(new CliRun(1, "", "modprobe: FATAL: Module nosuch not found in directory "
                + tmp.resolve("root/lib/modules/6.1.0-t") + "\n"), run(concat(base, "nosuch")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
