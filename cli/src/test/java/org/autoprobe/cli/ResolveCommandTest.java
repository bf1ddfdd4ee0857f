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

import org.autoprobe.core.tools.Resolve;
import org.autoprobe.core.testing.TrieBytes;
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
        TrieBytes.write(moddir.resolve("modules.dep.bin"), dep.toArray(String[]::new));
        TrieBytes.write(moddir.resolve("modules.alias.bin"), alias.toArray(String[]::new));
        TrieBytes.write(moddir.resolve("modules.symbols.bin"));
        TrieBytes.write(moddir.resolve("modules.builtin.bin"));
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
        int lines = Resolve.BATCH_LINES * 3 + 17;
        assertEquals(expectedOutput(lines), run(1, lines));
    }

    @Test
    void manyWorkersKeepInputOrderAcrossBatches() {
        // more batches than the workers may have in flight, so the writer waits on the oldest
        int lines = Resolve.BATCH_LINES * 13 + 5;
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

    /** resolve reading {@code stdin} (bytes) with the given config file text (bytes); its output bytes. */
    private byte[] stdin(byte[] stdin, byte[] config, String... more) throws IOException {
        Path conf = dir.resolve("etc/stdin.conf");
        Files.write(conf, config);
        List<String> args = new ArrayList<>(List.of("resolve", "-d", dir.toString(), "-S", KVER, "-C", conf.toString()));
        args.addAll(List.of(more));
        args.add("-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.io.InputStream saved = System.in;
        int rc;
        try {
            System.setIn(new java.io.ByteArrayInputStream(stdin));
            rc = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    args.toArray(String[]::new));
        } finally {
            System.setIn(saved);
        }
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Only LF ends a line: a lone CR, a CR before LF and a NUL stay inside their line, each input
     * line gets one output line, and a final line without LF counts. The lookup sees the bytes up
     * to the NUL, as kmod's C string would; the echo shows the whole line, with NUL and CR (and
     * TAB) escaped so that they break neither the line nor its columns.
     */
    @Test
    void linesEndAtLineFeedOnlyAndANulEndsTheLookup() throws IOException {
        String in = "drv5\0junk\n"                                  // the name before the NUL
                + "pci:v00000003d00000001sv00000000\0drv9\n"       // an alias before the NUL
                + "foo\rbar\n"                                      // one line, not two
                + "drv4\r\n"                                        // the CR is part of the name: no such module
                + "\0\n"                                            // empty before the NUL
                + "a\tb\n"
                + "pci:v00000002d0sv";                             // last line, no LF
        String want = "drv5\\0junk\tdrv5\n"
                + "pci:v00000003d00000001sv00000000\\0drv9\tdrv3\n"
                + "foo\\rbar\t-\n"
                + "drv4\\r\t-\n"
                + "\\0\t-\n"
                + "a\\tb\t-\n"
                + "pci:v00000002d0sv\tdrv2\n";
        for (String threads : new String[] {"1", "3"}) {
            assertEquals(want, new String(stdin(bytes(in), new byte[0], "--threads", threads), StandardCharsets.ISO_8859_1));
        }
    }

    /** The NUL cut also holds for a name: "drv5\0junk" is module drv5, never a module named with the NUL. */
    @Test
    void aNulNeverReachesTheModuleColumn() throws IOException {
        String out = new String(stdin(bytes("unknown_mod\0x\ndrv_beef\0\n"), new byte[0]), StandardCharsets.ISO_8859_1);
        assertEquals("unknown_mod\\0x\t-\ndrv_beef\\0\t-\n", out);
    }

    /**
     * Bytes that are not UTF-8 (0xff 0xfe) and a valid two-byte character (U+00E9) in a config
     * alias and in the query: looked up as bytes, echoed byte for byte.
     */
    @Test
    void bytesThatAreNotUtf8AreLookedUpAndEchoedAsTheyAre() throws IOException {
        byte[] odd = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0xa9, 'x'};
        ByteArrayOutputStream conf = new ByteArrayOutputStream();
        conf.writeBytes(bytes("alias "));
        conf.writeBytes(odd);
        conf.writeBytes(bytes(" drv6\n"));
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(odd);
        in.write('\n');
        in.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 'x', '\n'}); // not the same bytes
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(odd);
        want.writeBytes(bytes("\tdrv6\n"));
        want.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 'x'});
        want.writeBytes(bytes("\t-\n"));
        assertEquals(java.util.HexFormat.of().formatHex(want.toByteArray()),
                java.util.HexFormat.of().formatHex(stdin(in.toByteArray(), conf.toByteArray())));
    }
    /** resolve with {@code args} (after {@code resolve}) and {@code stdin}: exit code, stdout, stderr. */
    private static String[] resolveWith(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("resolve"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        java.io.InputStream saved = System.in;
        int rc;
        try {
            System.setIn(new java.io.ByteArrayInputStream(stdin));
            rc = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    all.toArray(String[]::new));
        } finally {
            System.setIn(saved);
        }
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aTreeThatIsNotThereIsFatalAsInKmod() {
        // kmod 30: modprobe -d /nonexistent -S 1 -R pci:foo -> "modprobe: FATAL: Module pci:foo not found in directory
        // /nonexistent/lib/modules/1", exit 1
        Path missing = dir.resolve("nonexistent");
        String[] r = resolveWith(new byte[0], "-d", missing.toString(), "-S", "1", "pci:foo", "pci:bar");
        assertEquals("1", r[0], r[2]);
        assertEquals("", r[1]);
        assertEquals("resolve: FATAL: Module pci:foo not found in directory " + missing.resolve("lib/modules/1") + "\n", r[2]);
        // a kernel version the root has no tree for: the same
        r = resolveWith(new byte[0], "-d", dir.toString(), "-S", "9.9", "pci:foo");
        assertEquals("1", r[0], r[2]);
        assertEquals("resolve: FATAL: Module pci:foo not found in directory " + dir.resolve("lib/modules/9.9") + "\n", r[2]);
    }

    @Test
    void aTreeThatIsNotThereNamesTheFirstLineOfStandardInput() {
        Path missing = dir.resolve("nonexistent");
        String[] r = resolveWith("usb:v1D6Bp0002\0tail\nsecond\n".getBytes(StandardCharsets.UTF_8),
                "-d", missing.toString(), "-S", "1", "-", "pci:later");
        assertEquals("1", r[0], r[2]);
        assertEquals("", r[1]);
        assertEquals("resolve: FATAL: Module usb:v1D6Bp0002 not found in directory " + missing.resolve("lib/modules/1") + "\n", r[2]);
        // nothing on standard input: the next argument is the first lookup; none at all: the directory is named
        r = resolveWith(new byte[0], "-d", missing.toString(), "-S", "1", "-", "pci:later");
        assertEquals("resolve: FATAL: Module pci:later not found in directory " + missing.resolve("lib/modules/1") + "\n", r[2]);
        r = resolveWith(new byte[0], "-d", missing.toString(), "-S", "1", "-");
        assertEquals("1", r[0], r[2]);
        assertEquals("resolve: FATAL: module directory " + missing.resolve("lib/modules/1") + " not found\n", r[2]);
    }

    @Test
    void anEmptyTreeThatIsThereAnswersDashes() {
        // the directory exists (no index files in it): not kmod's FATAL case for resolve, every lookup is a miss
        Path empty = dir.resolve("empty");
        assertTrue(empty.resolve("lib/modules/1").toFile().mkdirs());
        String[] r = resolveWith(new byte[0], "-d", empty.toString(), "-S", "1", "-C", dir.resolve("etc/empty.conf").toString(),
                "pci:foo");
        assertEquals("0", r[0], r[2]);
        assertEquals("pci:foo\t-\n", r[1]);
    }
}
