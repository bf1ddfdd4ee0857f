package org.autoprobe.cli.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** The alias corpus of the shared tree, generated once per JVM and written to target/alias-corpus.txt. */
final class Corpus {
    private static List<String> entries;
    private static Path file;

    private Corpus() {
    }

    static synchronized List<String> entries() {
        if (entries == null) {
            KernelTree tree = KernelTree.get();
            try {
                entries = AliasCorpus.generate(tree.moduleDir(tree.reference()), AliasCorpus.DEFAULT_SEED);
                file = AliasCorpus.write(entries, Paths.get("target/alias-corpus.txt").toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the alias corpus", e);
            }
            System.out.printf("[conformance] alias corpus: %d lookups in %s%n", entries.size(), file);
        }
        return entries;
    }

    static synchronized Path file() {
        entries();
        return file;
    }

    /** Every {@code n}-th entry, about {@code count} of them, spread over the corpus. */
    static List<String> sample(int count) {
        List<String> all = entries();
        int step = Math.max(1, all.size() / count);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < all.size() && out.size() < count; i += step) {
            out.add(all.get(i));
        }
        return out;
    }
}
