package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** A relative {@code -d ROOT} names paths as libkmod does: against the working directory, unnormalised. */
class RelativeRootTest {
    @TempDir
    Path tmp;

    @Test
    void showDependsPrintsAbsolutePathsForARelativeRoot() throws IOException {
        Path moddir = Files.createDirectories(tmp.resolve("root/lib/modules/6.1.0-t"));
        TrieBytes.write(moddir.resolve("modules.dep.bin"), "ehci", "kernel/ehci.ko: kernel/usbcore.ko",
                "usbcore", "kernel/usbcore.ko:");
        TrieBytes.write(moddir.resolve("modules.alias.bin"));
        TrieBytes.write(moddir.resolve("modules.symbols.bin"));
        TrieBytes.write(moddir.resolve("modules.builtin.bin"));
        Path cwd = Path.of("").toAbsolutePath();
        Path relative = cwd.relativize(tmp.resolve("root"));
        Path dotted = Path.of(".").resolve(relative);

        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new ModprobeCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("--sysroot", tmp.toString(), "-d", dotted.toString(), "-S", "6.1.0-t",
                "-C", tmp.resolve("no-config").toString(), "--show-depends", "ehci");

        String base = cwd + "/" + dotted + "/lib/modules/6.1.0-t/kernel/";
        assertEquals(0, code);
        assertEquals("insmod " + base + "usbcore.ko \ninsmod " + base + "ehci.ko \n", out.toString());
    }
}
