package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoprobe resolve} over a small tree: answers in input order whatever the number of
 * workers and batches, repeated lines answered alike, misses as {@code -}.
 */
class ResolveCommandTest {
    private static final String KVER = "6.1.0-r";
    private static final int VENDORS = 40;

    @TempDir
    Path dir;

    @BeforeEach
    void tree() throws IOException {
        Path moddir = Files.createDirectories(dir.resolve("lib/modules").resolve(KVER));
        List<String> dep = new ArrayList<>();
        List<String> alias = new ArrayList<>();
        for (int v = 0; v < VENDORS; v++) {
            dep.add("drv" + v);
            dep.add("kernel/drv" + v + ".ko:");
            alias.add(String.format("pci:v%08Xd*sv*", v));
            alias.add("drv" + v);
        }
        // two modules answer vendor 7: both come back, in priority order
        alias.add("pci:v00000007d0000BEEF*");
        alias.add("drv_beef");
        TestTries.write(moddir.resolve("modules.dep.bin"), dep.toArray(String[]::new));
        TestTries.write(moddir.resolve("modules.alias.bin"), alias.toArray(String[]::new));
        TestTries.write(moddir.resolve("modules.symbols.bin"));
        TestTries.write(moddir.resolve("modules.builtin.bin"));
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/empty.conf"), "");
    }

    /** The line resolve must print for {@code i}: several batches' worth, with repeats and misses. */
    private static String query(int i) {
        int v = i % (VENDORS + 5); // vendors 40..44 have no module
        return String.format("pci:v%08Xd%08Xsv00000000", v, i % 3 == 0 ? 0xBEEF : i % 11);
    }

    private static String expected(int i) {
        int v = i % (VENDORS + 5);
        String q = query(i);
        if (v >= VENDORS) {
            return q + "\t-";
        }
        return q + "\t" + (v == 7 && i % 3 == 0 ? "drv7 drv_beef" : "drv" + v);
    }

    private String run(int threads, int lines) {
        List<String> args = new ArrayList<>(List.of("resolve", "-d", dir.toString(), "-S", KVER,
                "-C", dir.resolve("etc/empty.conf").toString(), "--threads", Integer.toString(threads)));
        for (int i = 0; i < lines; i++) {
            args.add(query(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String expectedOutput(int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append(expected(i)).append('\n');
        }
        return b.toString();
    }

    @Test
    void oneWorkerAnswersEveryLineInOrder() {
        int lines = ResolveCommand.Batches.LINES * 3 + 17;
        assertEquals(expectedOutput(lines), run(1, lines));
    }

    @Test
    void manyWorkersKeepInputOrderAcrossBatches() {
        // more batches than the workers may have in flight, so the writer waits on the oldest
        int lines = ResolveCommand.Batches.LINES * 13 + 5;
        String want = expectedOutput(lines);
        for (int threads : new int[] {2, 3, 8}) {
            assertEquals(want, run(threads, lines), threads + " workers");
        }
    }

    @Test
    void aSingleBatchIsAnsweredWithoutWorkers() {
        assertEquals(expectedOutput(3), run(4, 3));
    }

    @Test
    void zeroThreadsIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "resolve", "-d", dir.toString(), "-S", KVER,
                "--threads", "0", "x");
        assertEquals(2, rc);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--threads must be at least 1"));
    }
}
