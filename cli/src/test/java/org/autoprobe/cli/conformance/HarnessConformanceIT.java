package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the harness itself, kmod side only (passes without any autoprobe command): the fixture tree, the
 * corpus, and that kmod-resolve.c answers exactly as {@code modprobe -R} does.
 */
class HarnessConformanceIT {
    private final KernelTree tree = KernelTree.get();

    @Test
    void referenceTreeHasKmodsIndexes() {
        Path dir = tree.moduleDir(tree.reference());
        for (String f : List.of("modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.symbols",
                "modules.symbols.bin", "modules.softdep", "modules.devname", "modules.builtin.bin",
                "modules.builtin.alias.bin")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), "kmod's depmod wrote no " + f + " in " + dir);
        }
        assertTrue(tree.modules().size() > 1000, "only " + tree.modules().size() + " modules in " + tree.packageName());
        assertTrue(tree.packageName().endsWith(tree.kernelVersion()), tree.packageName() + " vs " + tree.kernelVersion());
    }

    @Test
    void binDumpReadsKmodsTries() throws IOException {
        Path dir = tree.moduleDir(tree.reference());
        List<String> dep = IndexBinDump.dump(Files.readAllBytes(dir.resolve("modules.dep.bin")));
        assertEquals(tree.modules().size(), dep.size(), "modules.dep.bin entries");
        assertTrue(dep.get(0).matches("[^\t]+\\t\\d+\\t[^\t]+:.*"), "a modules.dep.bin entry: " + dep.get(0));
        long aliases = Files.readAllLines(dir.resolve("modules.alias")).stream().filter(l -> l.startsWith("alias ")).count();
        assertEquals(aliases, IndexBinDump.dump(Files.readAllBytes(dir.resolve("modules.alias.bin"))).size(),
                "modules.alias.bin entries vs modules.alias lines");
        long symbols = Files.readAllLines(dir.resolve("modules.symbols")).stream().filter(l -> l.startsWith("alias ")).count();
        assertEquals(symbols, IndexBinDump.dump(Files.readAllBytes(dir.resolve("modules.symbols.bin"))).size());
        List<String> builtin = IndexBinDump.dump(Files.readAllBytes(dir.resolve("modules.builtin.bin")));
        assertEquals(Files.readAllLines(dir.resolve("modules.builtin")).size(), builtin.size());
    }

    @Test
    void freshCopyHasNoIndexesAndSharesModuleFiles() throws IOException {
        Path copy = tree.freshCopy("harness-copy");
        Path dir = tree.moduleDir(copy);
        assertTrue(Files.isRegularFile(dir.resolve("modules.order")), "no modules.order in " + dir);
        assertTrue(!Files.exists(dir.resolve("modules.dep")), "a fresh copy must not hold modules.dep");
        Path ko = dir.resolve(tree.modules().get(0).relativePath());
        Path refKo = tree.moduleDir(tree.reference()).resolve(tree.modules().get(0).relativePath());
        assertEquals(Files.size(refKo), Files.size(ko));
        KernelTree.deleteTree(copy);
    }

    @Test
    void corpusIsLargeDeterministicAndMixed() throws IOException {
        List<String> corpus = Corpus.entries();
        assertTrue(corpus.size() >= 3000, "corpus has only " + corpus.size() + " entries");
        assertEquals(corpus, AliasCorpus.generate(tree.moduleDir(tree.reference()), AliasCorpus.DEFAULT_SEED),
                "the corpus is not deterministic");
        assertEquals(corpus, Files.readAllLines(Corpus.file(), StandardCharsets.UTF_8));
        List<String> lines = Texts.lines(KmodResolve.run(AliasCorpus.joined(corpus), "-d", tree.reference().toString(),
                "-S", tree.kernelVersion()).out());
        assertEquals(corpus.size(), lines.size(), "kmod-resolve printed one line per lookup");
        long misses = lines.stream().filter(l -> l.endsWith("\t-")).count();
        System.out.printf("[conformance] corpus: %d lookups, %d resolve, %d do not%n", lines.size(), lines.size() - misses, misses);
        assertTrue(misses > corpus.size() / 10 && misses < corpus.size() * 3 / 4,
                misses + " of " + corpus.size() + " lookups match nothing: the corpus is badly balanced");
    }

    @Test
    void kmodResolveAgreesWithModprobeR() {
        check(Corpus.sample(150), List.of());
    }

    @Test
    void kmodResolveAgreesWithModprobeRWithConfig() {
        Path conf = ModprobeConfigFixture.write(tree, "harness-modprobe.d");
        List<String> lookups = new ArrayList<>(ModprobeConfigFixture.LOOKUPS);
        lookups.addAll(Corpus.sample(40));
        check(lookups, List.of("-C", conf.toString()));
    }

    private void check(List<String> lookups, List<String> configArgs) {
        List<String> base = new ArrayList<>(List.of("-d", tree.reference().toString(), "-S", tree.kernelVersion()));
        base.addAll(configArgs);
        List<String> got = Texts.lines(KmodResolve.run(AliasCorpus.joined(lookups), base.toArray(String[]::new)).out());
        assertEquals(lookups.size(), got.size());
        Mismatches m = new Mismatches("kmod-resolve vs modprobe -R");
        for (int i = 0; i < lookups.size(); i++) {
            List<String> cmd = new ArrayList<>(List.of("modprobe"));
            cmd.addAll(base);
            cmd.addAll(List.of("-R", lookups.get(i)));
            Proc.Result r = Proc.run(cmd);
            LinkedHashSet<String> names = new LinkedHashSet<>(Texts.lines(r.out()));
            String expected = lookups.get(i) + "\t" + (names.isEmpty() ? "-" : String.join(" ", names)) + "\n";
            String actual = got.get(i) + "\n";
            m.check(lookups.get(i), r.exit() == 0 ? 0 : 1, expected.getBytes(StandardCharsets.ISO_8859_1),
                    names.isEmpty() ? 1 : 0, actual.getBytes(StandardCharsets.ISO_8859_1), r.describe());
        }
        m.assertNone();
    }
}
