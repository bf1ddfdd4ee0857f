package org.autoprobe.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.autoprobe.core.elf.ElfBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexWriterTest {
    @TempDir
    Path tmp;

    private TestTree tree() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/fs/fuse.ko", ElfBuilder.module().alias("fs-fuse").alias("devname:fuse").alias("char-major-10-229")
                .info("softdep", "pre: cuse").info("license", "GPL"));
        t.module("kernel/misc/tun.ko", ElfBuilder.module().alias("char-major-10-200").alias("devname:net/tun"));
        t.module("kernel/misc/loop.ko", ElfBuilder.module().alias("devname:loop-control").alias("block-major-7-*")
                .info("softdep", "post: a b").info("softdep", "pre: c"));
        t.module("kernel/misc/half.ko", ElfBuilder.module().alias("devname:half"));
        t.module("kernel/misc/brk.ko", ElfBuilder.module().alias("usb:v[1-2]*").alias("bad]alias"));
        t.file("modules.order", "kernel/fs/fuse.ko\nkernel/misc/tun.ko\nkernel/misc/loop.ko\nkernel/misc/half.ko\nkernel/misc/brk.ko\n");
        t.file("modules.builtin", "kernel/fs/ext4/ext4.ko\nkernel/drivers/usb/usb-common.ko\n");
        t.file("modules.builtin.modinfo", "ext4.alias=fs-ext4\0ext4.license=GPL\0usb_common.alias=usb-x\0");
        return t;
    }

    @Test
    void aliasSoftdepAndDevnameFormats() throws Exception {
        TestTree t = tree();
        ModuleIndex index = t.build();
        assertEquals("""
                # Aliases extracted from modules themselves.
                alias fs-fuse fuse
                alias devname:fuse fuse
                alias char-major-10-229 fuse
                alias char-major-10-200 tun
                alias devname:net/tun tun
                alias devname:loop-control loop
                alias block-major-7-* loop
                alias devname:half half
                alias usb:v[1-2]* brk
                alias bad]alias brk
                """, t.render(index, "modules.alias"));
        assertEquals("""
                # Soft dependencies extracted from modules themselves.
                softdep fuse pre: cuse
                softdep loop post: a b
                softdep loop pre: c
                """, t.render(index, "modules.softdep"));
        // block-major-7-* has no minor: sscanf finds only one number, so loop has no device node
        assertEquals("""
                # Device nodes to trigger on-demand module loading.
                fuse fuse c10:229
                tun net/tun c10:200
                """, t.render(index, "modules.devname"));
        assertTrue(t.errors().contains("Module 'half' has devname (half) but lacks major and minor information. Ignoring."),
                t.errors().toString());
        assertTrue(t.errors().contains("Module 'loop' has devname (loop-control) but lacks major and minor information. Ignoring."),
                t.errors().toString());
    }

    /**
     * kmod 34, tools/depmod.c: depmod_load_symbols keeps every {@code weakdep} modinfo value in field order;
     * output_weakdeps writes the header, then {@code "weakdep %s %s\n"} (module name, value) over the
     * modules in depmod's order (modules.order first).
     */
    @Test
    void weakdepLinesAsKmod34WritesThem() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/b/mod-weakdep.ko", ElfBuilder.module().info("weakdep", "mod-simple")
                .info("softdep", "pre: x").info("weakdep", "two  words\tkept").alias("a"));
        t.module("kernel/a/plain.ko", ElfBuilder.module().info("softdep", "post: y"));
        t.module("kernel/a/z_last.ko", ElfBuilder.module().info("weakdep", "first"));
        t.module("kernel/c/extra.ko", ElfBuilder.module().info("weakdep", "not-in-order"));
        t.file("modules.order", "kernel/a/z_last.ko\nkernel/b/mod-weakdep.ko\nkernel/a/plain.ko\n");
        ModuleIndex index = t.build();
        assertEquals("""
                # Weak dependencies extracted from modules themselves.
                weakdep z_last first
                weakdep mod_weakdep mod-simple
                weakdep mod_weakdep two  words\tkept
                weakdep extra not-in-order
                """, t.render(index, "modules.weakdep"));
        assertEquals("""
                # Soft dependencies extracted from modules themselves.
                softdep mod_weakdep pre: x
                softdep plain post: y
                """, t.render(index, "modules.softdep"), "weakdep fields do not leak into modules.softdep");
    }

    @Test
    void weakdepIsTheHeaderAloneWithoutWeakdepFields() throws Exception {
        TestTree t = tree();
        assertEquals("# Weak dependencies extracted from modules themselves.\n", t.render(t.build(), "modules.weakdep"));
    }

    @Test
    void devnameIsEmptyWithoutEntries() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a.ko", ElfBuilder.module().alias("x"));
        assertEquals("", t.render(t.build(), "modules.devname"));
    }

    @Test
    void binaryIndexesNormaliseAliasesAndSkipUnbalancedBrackets() throws Exception {
        TestTree t = tree();
        ModuleIndex index = t.build();
        byte[] alias = new IndexWriter(index, t.problems::add).render("modules.alias.bin");
        String s = new String(alias, StandardCharsets.ISO_8859_1);
        assertTrue(!s.contains("fs-fuse") && !s.contains("char-major"), "keys are stored with '-' turned into '_'");
        assertTrue(t.problems.contains(IndexProblem.warning("Unmatched bracket in bad]alias")), t.problems.toString());
        assertTrue(s.contains("v[1-2]*"), "no '-' → '_' inside brackets");
    }

    @Test
    void writeAllRenamesEveryFileIntoPlaceAndLeavesNoTemporaryFile() throws Exception {
        TestTree t = tree();
        ModuleIndex index = t.build();
        IndexWriter w = new IndexWriter(index, t.problems::add);
        assertEquals(List.of(), w.writeAll(t.dir));
        assertTrue(Files.isRegularFile(t.dir.resolve("modules.weakdep")));
        for (String f : IndexWriter.FILES) {
            Path p = t.dir.resolve(f);
            assertArrayEquals(w.render(f), Files.readAllBytes(p), f);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), f);
        }
        assertEquals(List.of(), leftovers(t.dir));
    }

    @Test
    void builtinFilesMissingGiveEmptyTries() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a.ko", ElfBuilder.module());
        ModuleIndex index = t.build();
        assertEquals(0, new IndexWriter(index, p -> { }).render("modules.builtin.bin").length);
        assertEquals(0, new IndexWriter(index, p -> { }).render("modules.builtin.alias.bin").length);
        assertTrue(t.problems.contains(IndexProblem.warning("could not open modules.builtin at " + t.dir
                + ": No such file or directory")));
    }

    @Test
    void failedRenameKeepsTheOldFilesAndRemovesTheTemporaryFile() throws Exception {
        TestTree t = tree();
        ModuleIndex index = t.build();
        Files.createDirectories(t.dir.resolve("modules.alias/blocker")); // a non-empty directory cannot be replaced
        Files.writeString(t.dir.resolve("modules.symbols"), "old symbols\n");
        IOException e = assertThrows(IOException.class, () -> new IndexWriter(index, t.problems::add).writeAll(t.dir));
        assertTrue(e.getMessage().contains("modules.alias"), e.getMessage());
        assertTrue(Files.isDirectory(t.dir.resolve("modules.alias/blocker")));
        assertEquals("old symbols\n", Files.readString(t.dir.resolve("modules.symbols")));
        assertTrue(Files.exists(t.dir.resolve("modules.dep")), "files before the failure are in place");
        assertEquals(List.of(), leftovers(t.dir));
    }

    @Test
    void dryRunPrintsTheTextFilesInKmodsOrder() throws Exception { // kmod 34 depmod.c depmod_output: weakdep after softdep
        TestTree t = tree();
        ModuleIndex index = t.build();
        IndexWriter w = new IndexWriter(index, p -> { });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.dryRun(out);
        String expected = Stream.of("modules.dep", "modules.alias", "modules.softdep", "modules.weakdep", "modules.symbols",
                        "modules.devname")
                .map(f -> new String(w.render(f), StandardCharsets.ISO_8859_1)).reduce("", String::concat);
        assertEquals(expected, out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void builtinTriesComeFromModulesBuiltinFiles() throws Exception {
        TestTree t = tree();
        ModuleIndex index = t.build();
        assertEquals(List.of("ext4", "usb_common"), index.builtinModules().orElseThrow());
        assertEquals(List.of(new ModuleIndex.Alias("fs_ext4", "ext4"), new ModuleIndex.Alias("usb_x", "usb_common")),
                index.builtinAliases().orElseThrow());
    }

    @Test
    void builtinModinfoRecordWithoutEqualsSwallowsTheNextRecordAsKmodDoes() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a.ko", ElfBuilder.module());
        t.file("modules.builtin.modinfo", "m1.noequals\0m2.alias=lost\0m3.alias=kept\0m4.alias=trunc");
        assertEquals(List.of(new ModuleIndex.Alias("kept", "m3")), t.build().builtinAliases().orElseThrow());
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("modules\\..*\\.\\d+\\.\\d+\\.\\d+")).toList();
        }
    }
}
