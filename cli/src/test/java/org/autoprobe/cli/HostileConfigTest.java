package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code -C} naming something that is not a regular file: kmod 30 blocks for ever on a FIFO and
 * reads {@code /dev/zero} until its line buffer cannot grow (then the file counts as empty: exit 0,
 * the same output as without it). autoprobe skips such a file at once with one warning; stdout and
 * exit status are what kmod's are when it finishes.
 */
class HostileConfigTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void tree() throws IOException {
        Path moddir = Files.createDirectories(tmp.resolve("root/lib/modules/6.1.0-t"));
        TrieBytes.write(moddir.resolve("modules.dep.bin"), "e1000", "kernel/e1000.ko:");
        TrieBytes.write(moddir.resolve("modules.alias.bin"));
        TrieBytes.write(moddir.resolve("modules.symbols.bin"));
        TrieBytes.write(moddir.resolve("modules.builtin.bin"));
        root = tmp.resolve("root");
    }

    private CliRun modprobe(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String[] all = new String[args.length + 6];
            all[0] = "--sysroot";
            all[1] = tmp.toString();
            all[2] = "-d";
            all[3] = root.toString();
            all[4] = "-S";
            all[5] = "6.1.0-t";
            System.arraycopy(args, 0, all, 6, args.length);
            return CliRun.picocli(new CommandLine(new ModprobeCommand()), all);
        });
    }

    private Path fifo(Path p) throws IOException, InterruptedException {
        Files.createDirectories(p.getParent());
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).start().waitFor());
        return p;
    }

    @Test
    void devZeroIsSkippedWithOneWarningAndTheModuleStillResolves() {
        CliRun r = modprobe("-C", "/dev/zero", "--show-depends", "e1000");
        assertEquals(0, r.code());
        assertEquals("insmod " + root + "/lib/modules/6.1.0-t/kernel/e1000.ko \n", r.out());
        assertEquals("modprobe: WARNING: /dev/zero: not a regular file (a character device), ignored\n", r.err());
    }

    @Test
    void aFifoGivenOrInsideADirectoryIsSkippedAndTheRestRead() throws Exception {
        Path given = fifo(tmp.resolve("given.conf"));
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("a.conf"), "options e1000 debug=1\n");
        Path inside = fifo(conf.resolve("b.conf"));
        CliRun r = modprobe("-C", given.toString(), "-C", conf.toString(), "--show-depends", "e1000");
        assertEquals(0, r.code());
        assertEquals("insmod " + root + "/lib/modules/6.1.0-t/kernel/e1000.ko debug=1 \n", r.out());
        assertEquals("modprobe: WARNING: " + inside + ": not a regular file (a FIFO), ignored\n"
                + "modprobe: WARNING: " + given + ": not a regular file (a FIFO), ignored\n", r.err());
    }
}
