package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code autoprobe depmod -b COPY KVER} on a fresh copy of the tree must write the same files as kmod's depmod,
 * byte for byte, and libkmod (kmod's modprobe and kmod-resolve) must answer from our files as from its own.
 */
class DepmodConformanceIT {
    private static KernelTree tree;
    private static Path ours;
    private static Cli.Result run;

    @BeforeAll
    static void runOurDepmod() {
        tree = KernelTree.get();
        ours = tree.freshCopy("ours-depmod");
        long t0 = System.nanoTime();
        run = Cli.run("depmod", "-b", ours.toString(), tree.kernelVersion());
        System.out.printf("[conformance] our depmod: exit %d in %d ms (kmod's: %d ms)%n", run.exit(),
                (System.nanoTime() - t0) / 1_000_000, tree.referenceDepmodMillis());
    }

    private static Path kmodDir() {
        return tree.moduleDir(tree.reference());
    }

    private static Path ourDir() {
        return tree.moduleDir(ours);
    }

    @Test
    void exitsZero() {
        assertEquals(0, run.exit(), "our depmod failed:\n" + run.describe());
    }

    /**
     * Our depmod also writes kmod 34's {@code modules.weakdep}; kmod 30, the reference here, has no such file,
     * so there is nothing to compare it with. It is checked apart ({@link #weakdepIsTheHeaderAloneOnThisTree})
     * and left out of the listing comparison ({@link #writesTheSameFilesWithTheSameModes}).
     */
    static final String KMOD34_ONLY = "modules.weakdep";

    @ParameterizedTest
    @ValueSource(strings = {"modules.dep", "modules.alias", "modules.symbols", "modules.softdep", "modules.devname"})
    void textIndexIsIdentical(String name) throws IOException {
        byte[] kmod = Files.readAllBytes(kmodDir().resolve(name));
        Path mine = ourDir().resolve(name);
        assertTrue(Files.isRegularFile(mine), "our depmod wrote no " + name + "\n" + run.describe());
        Texts.assertSameBytes(name, kmod, Files.readAllBytes(mine), run.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin",
            "modules.builtin.alias.bin"})
    void binaryIndexIsIdentical(String name) throws IOException {
        byte[] kmod = Files.readAllBytes(kmodDir().resolve(name));
        Path mine = ourDir().resolve(name);
        assertTrue(Files.isRegularFile(mine), "our depmod wrote no " + name + "\n" + run.describe());
        byte[] got = Files.readAllBytes(mine);
        if (java.util.Arrays.equals(kmod, got)) {
            return;
        }
        int at = java.util.Arrays.mismatch(kmod, got);
        List<String> kmodDump = IndexBinDump.dump(kmod);
        List<String> ourDump = IndexBinDump.dump(got);
        String semantic = kmodDump.equals(ourDump)
                ? "the tries hold the same keys and values (" + kmodDump.size() + " entries): only the layout differs"
                : Texts.explain(name + " contents (key<TAB>priority<TAB>value)", join(kmodDump), join(ourDump));
        fail(name + " differs from kmod's: kmod " + kmod.length + " bytes, ours " + got.length
                + " bytes, first difference at byte " + at + String.format(" (kmod %s, ours %s)", hexAt(kmod, at), hexAt(got, at))
                + "\nsemantically: " + semantic + "\n" + run.describe());
    }

    /**
     * No module of Debian's 6.1 tree carries a {@code weakdep=} field (MODULE_WEAKDEP came to the kernel
     * after 6.1; a byte search of the tree's 4,023 modules finds none), so kmod 34's depmod would write the
     * header line alone.
     */
    @Test
    void weakdepIsTheHeaderAloneOnThisTree() throws IOException {
        Path mine = ourDir().resolve(KMOD34_ONLY);
        assertTrue(Files.isRegularFile(mine), "our depmod wrote no " + KMOD34_ONLY + "\n" + run.describe());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
        Texts.assertSameBytes(KMOD34_ONLY, "# Weak dependencies extracted from modules themselves.\n"
                .getBytes(StandardCharsets.ISO_8859_1), Files.readAllBytes(mine), run.describe());
    }

    @Test
    void writesTheSameFilesWithTheSameModes() throws IOException {
        TreeMap<String, String> kmod = listing(kmodDir());
        TreeMap<String, String> mine = listing(ourDir());
        // kmod 30 writes no modules.weakdep (kmod 34 does, and so do we): the one file we may have more
        mine.remove(KMOD34_ONLY);
        assertEquals(kmod.toString().replace(", ", "\n"), mine.toString().replace(", ", "\n"),
                "files (and modes) in the modules directory after depmod\n" + run.describe());
    }

    @Test
    void kmodsModprobeReadsOurIndexes() {
        List<String> names = new ArrayList<>();
        tree.modules().forEach(m -> names.add(m.name()));
        names.addAll(List.of("fs-ext4", "crypto-md5", "md5", "symbol:jbd2_journal_start", "nosuchmodule"));
        String kmodRoot = tree.reference().toString();
        Proc.Result onKmod = modprobe(tree.reference(), "--show-depends", names);
        Proc.Result onOurs = modprobe(ours, "--show-depends", names);
        byte[] expected = onKmod.outText().replace(kmodRoot + "/", ours + "/").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(onKmod.exit(), onOurs.exit(), "modprobe exit\n" + onKmod.describe() + "\n" + onOurs.describe());
        Texts.assertSameBytes("kmod's modprobe --show-depends (all modules) on our indexes", expected, onOurs.out(),
                "on kmod's indexes " + onKmod.describe() + "\non ours " + onOurs.describe());
        List<String> lookups = Corpus.sample(600);
        Proc.Result rKmod = modprobe(tree.reference(), "-R", lookups);
        Proc.Result rOurs = modprobe(ours, "-R", lookups);
        Texts.assertSameBytes("kmod's modprobe -R (600 lookups) on our indexes", rKmod.out(), rOurs.out(),
                "on kmod's indexes " + rKmod.describe() + "\non ours " + rOurs.describe());
    }

    @Test
    void libkmodLookupsOnOurIndexesMatch() {
        byte[] corpus = AliasCorpus.joined(Corpus.entries());
        Proc.Result kmod = KmodResolve.run(corpus, "-d", tree.reference().toString(), "-S", tree.kernelVersion(),
                "-C", tree.emptyConfigDir().toString());
        Proc.Result mine = KmodResolve.run(corpus, "-d", ours.toString(), "-S", tree.kernelVersion(),
                "-C", tree.emptyConfigDir().toString());
        Texts.assertSameBytes("libkmod lookups of the whole corpus on our indexes", kmod.out(), mine.out(),
                "on kmod's " + kmod.describe() + "\non ours " + mine.describe());
    }

    private static Proc.Result modprobe(Path root, String mode, List<String> names) {
        List<String> cmd = new ArrayList<>(List.of("modprobe", "-d", root.toString(), "-S", tree.kernelVersion(),
                "-C", tree.emptyConfigDir().toString(), "-a", mode));
        cmd.addAll(names);
        return Proc.run(cmd);
    }

    private static TreeMap<String, String> listing(Path dir) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String kind = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p) ? "dir"
                        : PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                out.put(p.getFileName().toString(), kind);
            }
        }
        return out;
    }

    private static byte[] join(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String hexAt(byte[] b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = at; i < Math.min(b.length, at + 8); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.length() == 0 ? "end of file" : sb.toString();
    }
}
