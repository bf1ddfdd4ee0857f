package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * depmod's other options against kmod's on the real tree: the dry run ({@code -n}), {@code -v},
 * {@code -P}, {@code -e} with {@code -F} (the package's System.map) and with {@code -E} (a
 * Module.symvers made from the tree's own {@code __versions}, some versions changed), {@code -w},
 * and the deprecated options kmod ignores. Same exit code, same stdout, same stderr.
 */
class DepmodOptionsConformanceIT {
    /** kmod 34's modules.weakdep header, which our dry run prints and kmod 30's does not (docs/COMPATIBILITY.md). */
    private static final String WEAKDEP_HEADER = "# Weak dependencies extracted from modules themselves.\n";

    private static KernelTree tree;
    private static Path symvers;

    @BeforeAll
    static void prepare() throws IOException {
        tree = KernelTree.get();
        symvers = tree.workDir().resolve("Module.symvers");
        // the CRCs the tree's modules expect of the symbols they import, as kmod itself dumps them
        TreeMap<String, String> crcs = new TreeMap<>();
        List<KernelTree.ModuleFile> modules = tree.modules();
        for (int i = 0; i < modules.size(); i += 10) {
            Path ko = tree.moduleDir(tree.reference()).resolve(modules.get(i).relativePath());
            Proc.Result r = Proc.run(List.of("modprobe", "--dump-modversions", ko.toString()));
            for (String line : r.outText().split("\n")) {
                String[] f = line.split("\t");
                if (f.length == 2) {
                    crcs.putIfAbsent(f[1], f[0]);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (var e : crcs.entrySet()) {
            // one in forty disagrees with what the modules expect
            String crc = n++ % 40 == 0 ? "0x00012345" : e.getValue();
            sb.append(crc).append('\t').append(e.getKey()).append("\tvmlinux\tEXPORT_SYMBOL_GPL\t\n");
        }
        sb.append("0xdeadbeef\tsome_module_symbol\tdrivers/foo/bar\tEXPORT_SYMBOL\t\n");
        sb.append("zz\tbad_version\tvmlinux\tEXPORT_SYMBOL\t\n");
        sb.append("0x1 too_short\n");
        Files.writeString(symvers, sb.toString(), StandardCharsets.ISO_8859_1);
        assertTrue(crcs.size() > 500, "too few versioned symbols for a meaningful Module.symvers: " + crcs.size());
    }

    /** Runs kmod's depmod and ours with {@code args}, then {@code -b ROOT KVER}; everything must be equal. */
    private static void same(Path root, String... args) {
        sameWithFiles(root, List.of(), args);
    }

    /** As {@link #same}, with module files after the version ({@code depmod KVER FILE...}). */
    private static void sameWithFiles(Path root, List<String> files, String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("-b", root.toString(), tree.kernelVersion()));
        full.addAll(files);
        List<String> kmodCmd = new ArrayList<>(List.of("depmod"));
        kmodCmd.addAll(full);
        Proc.Result kmod = Proc.run(kmodCmd);
        List<String> oursArgs = new ArrayList<>(List.of("depmod"));
        oursArgs.addAll(full);
        Cli.Result ours = Cli.run(oursArgs);
        String what = "depmod " + String.join(" ", args);
        String context = "kmod: " + kmod.describe() + "\nours: " + ours.describe();
        assertEquals(kmod.exit(), ours.exit(), what + ": exit code\n" + context);
        byte[] ourOut = new String(ours.out(), StandardCharsets.ISO_8859_1).replace(WEAKDEP_HEADER, "")
                .getBytes(StandardCharsets.ISO_8859_1);
        Texts.assertSameBytes(what + ": standard output", kmod.out(), ourOut, context);
        Texts.assertSameBytes(what + ": standard error", kmod.err().getBytes(StandardCharsets.ISO_8859_1),
                ours.err().getBytes(StandardCharsets.ISO_8859_1), context);
    }

    @Test
    void dryRun() {
        same(tree.reference(), "-n");
    }

    @Test
    void verboseShowsEachDependencyAsFound() {
        same(tree.reference(), "-n", "-v");
    }

    @Test
    void symbolPrefix() {
        same(tree.reference(), "-n", "-P", "_");
        same(tree.reference(), "-n", "-P", "ab");
    }

    @Test
    void unknownSymbolsAgainstTheSystemMap() {
        assertTrue(Files.isRegularFile(tree.systemMap()), "the package ships no " + tree.systemMap());
        same(tree.reference(), "-n", "-e", "-F", tree.systemMap().toString());
        same(tree.reference(), "-n", "-e", "-P", "_", "-F", tree.systemMap().toString());
    }

    @Test
    void unknownSymbolsAndVersionMismatchesAgainstModuleSymvers() {
        same(tree.reference(), "-n", "-e", "-E", symvers.toString());
        // a Module.symvers wins over a System.map; without -e nothing is reported
        same(tree.reference(), "-n", "-e", "-E", symvers.toString(), "-F", tree.systemMap().toString());
        same(tree.reference(), "-n", "-E", symvers.toString());
        same(tree.reference(), "-n", "-e", "-E", tree.workDir().resolve("no-such-Module.symvers").toString());
        // a directory: kmod opens it, its first read fails, and that is an empty file
        same(tree.reference(), "-n", "-e", "-E", tree.workDir().toString());
        same(tree.reference(), "-n", "-e", "-F", tree.workDir().toString());
    }

    @Test
    void duplicatesReportedWithW() throws IOException {
        Path kmodCopy = tree.freshCopy("kmod-w");
        Path ourCopy = tree.freshCopy("ours-w");
        Proc.Result kmod = Proc.run(List.of("depmod", "-w", "-b", kmodCopy.toString(), tree.kernelVersion()));
        Cli.Result ours = Cli.run("depmod", "-w", "-b", ourCopy.toString(), tree.kernelVersion());
        assertEquals(kmod.exit(), ours.exit(), kmod.describe() + "\n" + ours.describe());
        String kmodErr = kmod.err().replace(kmodCopy.toString(), "ROOT");
        String ourErr = ours.err().replace(ourCopy.toString(), "ROOT");
        assertTrue(kmodErr.contains("duplicate module alias:"), "the tree has repeated aliases; kmod said:\n" + kmodErr);
        Texts.assertSameBytes("depmod -w: standard error", kmodErr.getBytes(StandardCharsets.ISO_8859_1),
                ourErr.getBytes(StandardCharsets.ISO_8859_1), kmod.describe() + "\n" + ours.describe());
        for (String f : List.of("modules.dep.bin", "modules.alias.bin", "modules.symbols.bin")) {
            Texts.assertSameBytes(f + " with -w", Files.readAllBytes(tree.moduleDir(kmodCopy).resolve(f)),
                    Files.readAllBytes(tree.moduleDir(ourCopy).resolve(f)), "");
        }
    }

    @Test
    void deprecatedOptionsAreIgnoredWithAWarning() {
        same(tree.reference(), "-n", "-u", "-q", "--root", "--map");
    }

    /**
     * {@code depmod KVER FILE...}: only those files (one of them outside the tree, so named by its
     * full path), in modules.order's order, no depmod.d; and kmod's refusals.
     */
    @Test
    void explicitModuleFiles() throws IOException {
        Path dir = tree.moduleDir(tree.reference());
        List<String> files = new ArrayList<>();
        List<KernelTree.ModuleFile> modules = tree.modules();
        for (int i = 0; i < modules.size(); i += 97) {
            files.add(dir.resolve(modules.get(i).relativePath()).toString());
        }
        Path outside = Files.createDirectories(tree.workDir().resolve("outside"));
        Path copy = outside.resolve("copied-" + Path.of(files.get(0)).getFileName());
        Files.copy(Path.of(files.get(0)), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        files.set(0, copy.toString());
        assertTrue(files.size() > 30, files.toString());
        sameWithFiles(tree.reference(), files, "-n");
        sameWithFiles(tree.reference(), files, "-n", "-v");
        sameWithFiles(tree.reference(), List.of("relative/mod.ko"), "-n");
        sameWithFiles(tree.reference(), List.of(outside.resolve("missing.ko").toString()), "-n");
        sameWithFiles(tree.reference(), List.of(files.get(1), files.get(2), files.get(1)), "-n");
        // -a: the whole directory after all
        sameWithFiles(tree.reference(), List.of(files.get(1)), "-n", "-a");
    }
}
