package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.elf.ElfBuilder;
import org.autoprobe.core.index.trie.TrieWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** depmod as one tool: its messages, its output and what it asks of its host, without a command line. */
class DepmodTest {
    @TempDir
    Path tmp;
    Path dir;

    /** Messages and host events, in the order they happened. */
    private final List<String> events = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private String release = "1.0";

    private final Depmod.Host host = new Depmod.Host() {
        @Override
        public String runningRelease() throws IOException {
            events.add("release");
            if (release == null) {
                throw new NoSuchFileException("/proc/sys/kernel/osrelease");
            }
            return release;
        }

        @Override
        public DepmodConfig config(Consumer<String> errors) {
            events.add("config");
            errors.accept("x.conf:1: ignoring bad line starting with 'frobnicate'");
            return DepmodConfig.DEFAULT;
        }

        @Override
        public void progress(int filesRead) {
            if (!events.contains("progress")) {
                events.add("progress");
            }
        }

        @Override
        public void progressDone() {
            events.add("progress done");
        }
    };

    @BeforeEach
    void tree() throws IOException {
        dir = tmp.resolve("lib/modules/1.0");
        ElfBuilder.module().exports("b_fn").writeTo(dir.resolve("kernel/b.ko"));
        ElfBuilder.module().needs("b_fn").alias("pci:v1*").writeTo(dir.resolve("kernel/a.ko"));
        Files.writeString(dir.resolve("kernel/bad.ko"), "not an ELF file");
    }

    private int run(List<String> positional, boolean dryRun, String prefix, int verbose) {
        Depmod.Options o = new Depmod.Options(positional, false, false, tmp, null, dryRun, false, null, null, prefix,
                false, verbose, TrieWriter.Layout.KMOD_30);
        return new Depmod(host).run(o, new PrintWriter(out, true), (priority, text) -> events.add(priority + " " + text));
    }

    @Test
    void writesTheIndexesAndReportsAsItGoes() throws IOException {
        assertEquals(0, run(List.of("1.0"), false, null, 0));
        // the unreadable file is listed, without dependencies, as kmod lists it
        assertEquals("kernel/bad.ko:\nkernel/b.ko:\nkernel/a.ko: kernel/b.ko\n",
                sorted(Files.readString(dir.resolve("modules.dep"))));
        assertTrue(Files.size(dir.resolve("modules.alias.bin")) > 12);
        assertEquals("config", events.get(0));
        assertEquals("3 ERROR: x.conf:1: ignoring bad line starting with 'frobnicate'", events.get(1));
        assertTrue(events.stream().anyMatch(e -> e.startsWith("3 ERROR: failed to load symbols from " + dir + "/kernel/bad.ko")),
                events.toString());
        assertTrue(events.indexOf("progress done") > events.indexOf("progress"), events.toString());
        assertEquals("", out.toString());
    }

    private static String sorted(String lines) {
        return lines.lines().sorted((x, y) -> y.compareTo(x)).map(l -> l + "\n").reduce("", String::concat);
    }

    @Test
    void dryRunAndVerboseWriteToStandardOutputOnly() {
        assertEquals(0, run(List.of("1.0"), true, null, 1));
        String text = out.toString();
        assertTrue(text.contains(dir + "/kernel/a.ko needs \"b_fn\": " + dir + "/kernel/b.ko\n"), text);
        assertTrue(text.contains("alias pci:v1* a\n"), text);
        assertFalse(Files.exists(dir.resolve("modules.dep")));
    }

    @Test
    void theRunningKernelsVersionIsAskedForOnlyWithoutOne() {
        assertEquals(0, run(List.of(), true, null, 0));
        assertEquals("release", events.get(0));
        events.clear();
        release = null;
        assertEquals(1, run(List.of(), true, null, 0));
        assertEquals(List.of("release", "2 FATAL: cannot read the running kernel's version: No such file or directory"),
                events);
    }

    @Test
    void namedFilesAreIndexedWithoutReadingTheConfiguration() throws IOException {
        assertEquals(0, run(List.of("1.0", dir + "/kernel/a.ko", dir + "/kernel/b.ko"), false, null, 0));
        assertFalse(events.contains("config"), events.toString());
        assertEquals("kernel/b.ko:\nkernel/a.ko: kernel/b.ko\n", sorted(Files.readString(dir.resolve("modules.dep"))));
    }

    @Test
    void optionErrorsStopBeforeAnythingIsRead() {
        assertEquals(1, run(List.of("1.0"), true, "__", 0));
        assertEquals(List.of("2 FATAL: -P only takes a single char"), events);
        events.clear();
        assertEquals(1, run(List.of("abc"), true, null, 0));
        assertEquals(List.of("3 ERROR: Bad version passed abc"), events);
        assertEquals("", out.toString());
    }
}
