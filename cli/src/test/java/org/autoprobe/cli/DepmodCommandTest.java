package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command's plumbing; what depmod computes is tested in core. */
class DepmodCommandTest {
    @TempDir
    Path tmp;
    Path dir;
    Path noConfig;
    String out;
    String err;

    @BeforeEach
    void tree() throws Exception {
        dir = Files.createDirectories(tmp.resolve("root/lib/modules/1.0/kernel"));
        Files.writeString(dir.resolve("a.ko"), "not an ELF file");
        dir = dir.getParent();
        Files.writeString(dir.resolve("modules.builtin"), "kernel/fs/ext4/ext4.ko\n");
        Files.writeString(dir.resolve("modules.builtin.modinfo"), "");
        Files.writeString(dir.resolve("modules.order"), "kernel/a.ko\n");
        noConfig = Files.createDirectories(tmp.resolve("depmod.d"));
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8), args);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return rc;
    }

    @Test
    void writesTheIndexAndReportsAnUnreadableModule() throws Exception {
        assertEquals(0, run("depmod", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(), "1.0"));
        assertEquals("kernel/a.ko:\n", Files.readString(dir.resolve("modules.dep")));
        assertTrue(Files.size(dir.resolve("modules.builtin.bin")) > 12);
        assertTrue(err.startsWith("depmod: ERROR: failed to load symbols from " + dir + "/kernel/a.ko: "), err);
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    void theBinFilesTakeTheLayoutAskedForAndTheInstalledKmodsByDefault() throws Exception {
        String root = tmp.resolve("root").toString();
        assertEquals(0, run("depmod", "--kmod-layout", "30", "-C", noConfig.toString(), "-b", root, "1.0"));
        byte[] kmod30 = Files.readAllBytes(dir.resolve("modules.builtin.bin"));
        String dep30 = Files.readString(dir.resolve("modules.dep"));
        assertEquals(0, run("depmod", "--kmod-layout", "34", "-C", noConfig.toString(), "-b", root, "1.0"));
        byte[] kmod34 = Files.readAllBytes(dir.resolve("modules.builtin.bin"));
        assertEquals(dep30, Files.readString(dir.resolve("modules.dep")), "the text files are the same");
        assertEquals(kmod30.length, kmod34.length);
        assertTrue(!java.util.Arrays.equals(kmod30, kmod34), "the nodes in another order");
        assertEquals(12, java.nio.ByteBuffer.wrap(kmod34).getInt(8) & 0x0FFFFFFF, "kmod 34: the root first");
        assertEquals(0, run("depmod", "-C", noConfig.toString(), "-b", root, "1.0"));
        byte[] byDefault = Files.readAllBytes(dir.resolve("modules.builtin.bin"));
        assertTrue(java.util.Arrays.equals(KmodVersion.installedLayout()
                == org.autoprobe.core.index.trie.TrieWriter.Layout.KMOD_30 ? kmod30 : kmod34, byDefault));
        assertEquals(1, run("depmod", "--kmod-layout", "33", "-C", noConfig.toString(), "-b", root, "1.0"));
        assertEquals("depmod: ERROR: --kmod-layout takes 30 or 34, not '33'\n", err);
    }

    @Test
    void theKmodVersionIsReadFromItsFirstLine() {
        assertEquals(30, KmodVersion.parse("kmod version 30\n+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL\n"));
        assertEquals(34, KmodVersion.parse("kmod version 34.2\n+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL\n"));
        assertEquals(-1, KmodVersion.parse("autoprobe version 1\n"));
        assertEquals(-1, KmodVersion.parse(""));
        if (java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/kmod"))) {
            assertTrue(KmodVersion.installed() >= 20, "this machine's kmod: " + KmodVersion.installed());
        }
    }

    @Test
    void dryRunPrintsTextFilesAndWritesNothing() {
        assertEquals(0, run("depmod", "-n", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(), "1.0"));
        assertEquals("kernel/a.ko:\n# Aliases extracted from modules themselves.\n"
                + "# Soft dependencies extracted from modules themselves.\n"
                + "# Weak dependencies extracted from modules themselves.\n" // kmod 34's addition
                + "# Aliases for symbols, used by symbol_request().\n", out);
        assertFalse(Files.exists(dir.resolve("modules.dep")));
    }

    @Test
    void outdirReceivesTheFiles() throws Exception {
        Path outRoot = tmp.resolve("out");
        assertEquals(0, run("depmod", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(),
                "-o", outRoot.toString(), "1.0"));
        assertEquals("kernel/a.ko:\n", Files.readString(outRoot.resolve("lib/modules/1.0/modules.dep")));
        assertFalse(Files.exists(dir.resolve("modules.dep")));
    }

    @Test
    void badVersionAndMissingDirectoryFail() {
        assertEquals(1, run("depmod", "-b", tmp.resolve("root").toString(), "abc"));
        assertEquals("depmod: ERROR: Bad version passed abc\n", err);
        assertEquals(1, run("depmod", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(), "2.0"));
        assertTrue(err.endsWith("depmod: FATAL: could not search modules: No such file or directory\n"), err);
    }

    @Test
    void quickModeDoesNothingWhenUpToDate() throws Exception {
        Files.writeString(dir.resolve("modules.dep"), "sentinel\n");
        Files.setLastModifiedTime(dir.resolve("kernel/a.ko"), FileTime.fromMillis(1_000_000_000_000L));
        assertEquals(0, run("depmod", "-A", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(), "1.0"));
        assertEquals("sentinel\n", Files.readString(dir.resolve("modules.dep")));
        Files.setLastModifiedTime(dir.resolve("kernel/a.ko"), FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertEquals(0, run("depmod", "-A", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(), "1.0"));
        assertEquals("kernel/a.ko:\n", Files.readString(dir.resolve("modules.dep")));
    }

    @Test
    void badConfigLinesAreReportedWithFileAndLine() throws Exception {
        Path conf = Files.writeString(noConfig.resolve("x.conf"), "search updates\nfrobnicate all\n");
        assertEquals(0, run("depmod", "-n", "-C", noConfig.toString(), "-b", tmp.resolve("root").toString(), "1.0"));
        assertTrue(err.contains("depmod: ERROR: " + conf + ":2: ignoring bad line starting with 'frobnicate'\n"), err);
    }

    @Test
    void deprecatedOptionsAreIgnoredWithKmodsWarningInCommandLineOrder() {
        assertEquals(0, run("depmod", "-n", "--map", "-C", noConfig.toString(), "-uq", "-b", tmp.resolve("root").toString(),
                "--root", "1.0"));
        assertEquals(List.of("depmod: WARNING: Ignored deprecated option --map", "depmod: WARNING: Ignored deprecated option -u",
                "depmod: WARNING: Ignored deprecated option -q", "depmod: WARNING: Ignored deprecated option --root"),
                err.lines().filter(l -> l.contains("deprecated")).toList());
    }

    @Test
    void aSymbolPrefixIsOneCharacter() {
        assertEquals(1, run("depmod", "-n", "-P", "__", "-b", tmp.resolve("root").toString(), "1.0"));
        assertEquals("depmod: FATAL: -P only takes a single char\n", err);
        assertEquals("", out);
    }

    @Test
    void anUnreadableModuleSymversIsFatal() {
        assertEquals(1, run("depmod", "-n", "-e", "-E", tmp.resolve("nope").toString(), "-b", tmp.resolve("root").toString(),
                "1.0"));
        assertEquals("depmod: FATAL: could not load " + tmp.resolve("nope") + ": No such file or directory\n", err);
    }
}
