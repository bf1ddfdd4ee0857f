package org.autoprobe.daemon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsFileTest {
    @TempDir
    Path dir;

    @Test
    void writesTheWholeTextMode0644AndLeavesNoTemporaryFile() throws IOException {
        List<String> warnings = new ArrayList<>();
        Path file = dir.resolve("autoprobe.prom");
        MetricsFile f = new MetricsFile(file, warnings::add);
        assertTrue(f.write("a_total 1\n"));
        assertTrue(f.write("a_total 2\n"));
        assertEquals("a_total 2\n", Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aReaderSeesTheOldTextOrTheNewNeverAPart() throws Exception {
        Path file = dir.resolve("autoprobe.prom");
        // large enough that a write in place would be seen half done
        String a = "a_total 1\n".repeat(20_000);
        String b = "b_total 2\n".repeat(30_000);
        MetricsFile f = new MetricsFile(file, w -> { });
        assertTrue(f.write(a));
        AtomicBoolean done = new AtomicBoolean();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    String s = Files.readString(file, StandardCharsets.UTF_8);
                    if (!s.equals(a) && !s.equals(b)) {
                        seen.add(s.length() + " characters");
                    }
                } catch (NoSuchFileException e) {
                    seen.add("the file was missing");
                } catch (IOException e) {
                    seen.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 200; i++) {
            assertTrue(f.write(i % 2 == 0 ? b : a));
        }
        done.set(true);
        reader.join();
        assertEquals(List.of(), seen);
    }

    @Test
    void aMissingOrUnusableDirectoryIsOneWarningAndTheWriterGoesOn() throws IOException {
        List<String> warnings = new ArrayList<>();
        Path missing = dir.resolve("no-such-dir/autoprobe.prom");
        MetricsFile f = new MetricsFile(missing, warnings::add);
        assertFalse(f.write("x_total 1\n"));
        assertFalse(f.write("x_total 2\n"));
        assertFalse(f.write("x_total 3\n"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(missing.toString()), warnings.get(0));
        // the directory appears: the next write succeeds, and a later failure is said again
        Files.createDirectories(missing.getParent());
        assertTrue(f.write("x_total 4\n"));
        assertEquals("x_total 4\n", Files.readString(missing));
        Files.delete(missing);
        Files.delete(missing.getParent());
        Files.writeString(missing.getParent(), "a file where the directory was"); // ENOTDIR, even for root
        assertFalse(f.write("x_total 5\n"));
        assertFalse(f.write("x_total 6\n"));
        assertEquals(2, warnings.size(), warnings.toString());
    }

    @Test
    void aWriteInterruptedByTheStopIsNoWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        Path file = dir.resolve("autoprobe.prom");
        MetricsFile f = new MetricsFile(file, warnings::add);
        boolean[] wrote = new boolean[1];
        Thread t = new Thread(() -> {
            Thread.currentThread().interrupt(); // as the timer's shutdownNow does
            wrote[0] = f.write("a_total 1\n");
        });
        t.start();
        t.join();
        assertFalse(wrote[0]);
        assertEquals(List.of(), warnings);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "no temporary file left");
        }
        assertTrue(f.write("a_total 2\n"), "the stop's own write follows");
        assertEquals("a_total 2\n", Files.readString(file));
    }
}
