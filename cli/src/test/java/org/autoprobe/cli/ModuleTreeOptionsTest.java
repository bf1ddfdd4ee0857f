package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.root.SystemRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** modprobe's {@code -d ROOT -S KVER} named through the command's {@link SystemRoot}. */
class ModuleTreeOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void theReleaseComesFromTheRootsProc() throws IOException {
        SystemRoot fixture = SystemRoot.under(tmp);
        Files.createDirectories(fixture.osReleaseFile().getParent());
        Files.writeString(fixture.osReleaseFile(), "9.9.9-fixture\n");
        ModuleTreeOptions tree = new ModuleTreeOptions();
        tree.system = fixture;
        assertEquals("9.9.9-fixture", tree.kernel());
        assertEquals(tmp.resolve("lib/modules/9.9.9-fixture"), tree.moduleDirectory());
        tree.kernelVersion = "1.0";
        assertEquals(tmp.resolve("lib/modules/1.0"), tree.moduleDirectory());
    }

    @Test
    void withoutProcTheReleaseIsTheJvmsIdeaOfIt() {
        ModuleTreeOptions tree = new ModuleTreeOptions();
        tree.system = SystemRoot.under(tmp);
        assertEquals(System.getProperty("os.version"), tree.kernel());
    }

    @Test
    void aRootMovesOnlyTheModuleTree() {
        ModuleTreeOptions tree = new ModuleTreeOptions();
        tree.root = tmp.resolve("r");
        tree.kernelVersion = "2.0";
        assertEquals(tmp.resolve("r/lib/modules/2.0"), tree.moduleDirectory());
        assertEquals(Path.of("/sys"), tree.systemRoot().sys());
        assertEquals(tmp.resolve("s"), tree.systemRoot(tmp.resolve("s")).sys());
        assertEquals(tmp.resolve("r"), tree.systemRoot(tmp.resolve("s")).base());
    }

    @Test
    void anEmptyRootIsTheRunningSystemsAsKmodSpellsIt() {
        // kmod 30: snprintf("%s/lib/modules/%s", root, kver) with root "" is /lib/modules/KVER
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ModprobeCommand());
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("-d", "", "-S", "no-such-release-autoprobe", "-C", tmp.resolve("no-config").toString(),
                "-n", "foo");
        assertEquals(1, code);
        assertEquals("modprobe: FATAL: Module foo not found in directory /lib/modules/no-such-release-autoprobe\n",
                err.toString());
    }
}
