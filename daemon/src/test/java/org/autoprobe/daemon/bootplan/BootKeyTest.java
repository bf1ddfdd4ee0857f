package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.autoprobe.daemon.generation.GenerationSources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootKeyTest {
    @TempDir
    Path root;
    private GenerationSources sources;
    private Path proc;

    @BeforeEach
    void tree() throws Exception {
        Path mods = Files.createDirectories(root.resolve("lib/modules/6.1.0-test"));
        Files.writeString(mods.resolve("modules.dep.bin"), "dep");
        Files.writeString(mods.resolve("modules.alias.bin"), "alias");
        Files.createDirectories(root.resolve("etc/modprobe.d"));
        Files.writeString(root.resolve("etc/modprobe.d/a.conf"), "options e1000 debug=1\n");
        Files.createDirectories(root.resolve("etc/autoprobe/rules.d"));
        proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("version"), "Linux version 6.1.0-test (builder) #1 SMP 2026-01-01\n");
        Files.writeString(proc.resolve("cmdline"), "root=/dev/vda quiet\n");
        sources = new GenerationSources(mods, List.of(root.resolve("etc/modprobe.d")),
                List.of(root.resolve("etc/autoprobe/rules.d")), root.resolve("sys"), proc.resolve("cmdline"));
    }

    private List<String> key() {
        return BootKey.compute(sources, proc);
    }

    @Test
    void theSameFilesGiveTheSameKey() {
        assertEquals(key(), key());
        assertTrue(key().contains("cmdline root=/dev/vda quiet"), key().toString());
        assertTrue(key().stream().anyMatch(l -> l.startsWith("kernel Linux version 6.1.0-test")), key().toString());
    }

    @Test
    void everyInputChangesIt() throws Exception {
        List<Runnable> changes = List.of(
                () -> write(proc.resolve("cmdline"), "root=/dev/vda quiet modprobe.blacklist=e1000\n"),
                () -> write(proc.resolve("version"), "Linux version 6.1.0-test (builder) #2 SMP 2026-02-01\n"),
                () -> write(root.resolve("etc/modprobe.d/b.conf"), "blacklist 8139cp\n"),
                () -> write(root.resolve("etc/autoprobe/rules.d/90-x.rules"), "ENV{MODALIAS}==\"?*\", RUN{builtin}+=\"kmod load\"\n"),
                () -> write(root.resolve("lib/modules/6.1.0-test/modules.alias.bin"), "alias2"),
                () -> link(root.resolve("etc/modprobe.d/l.conf"), "a.conf"),
                () -> link(root.resolve("etc/modprobe.d/l.conf"), "b.conf"),
                () -> {
                    // the same size and modification time put back: the change time still tells
                    Path f = root.resolve("etc/modprobe.d/a.conf");
                    try {
                        FileTime t = Files.getLastModifiedTime(f);
                        Thread.sleep(20);
                        Files.writeString(f, "options e1000 debug=2\n");
                        Files.setLastModifiedTime(f, t);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        for (int i = 0; i < changes.size(); i++) {
            List<String> before = key();
            changes.get(i).run();
            List<String> after = key();
            assertNotEquals(before, after, "change " + i);
            String diff = BootKey.firstDifference(before, after);
            assertTrue(diff != null && !diff.isEmpty(), "change " + i);
            assertNull(BootKey.firstDifference(after, key()));
        }
    }

    /** Points the link {@code p} at {@code target} (made, or replaced as {@code ln -sf} does). */
    private static void link(Path p, String target) {
        try {
            Thread.sleep(5);
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, Path.of(target));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path p, String s) {
        try {
            Thread.sleep(5);
            Files.writeString(p, s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
