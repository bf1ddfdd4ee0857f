package org.autoprobe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.root.SystemRoot;

/**
 * The real Debian module tree with kmod's index files, and the alias corpus to look up in it.
 *
 * <p>The tree: {@code -Dautoprobe.indexedRoot=ROOT} (modules at {@code ROOT/lib/modules/KVER}, the
 * {@code .bin} files present, {@code -Dautoprobe.kver=KVER}); otherwise the tree of
 * {@code bench/scripts/kernel-tree.sh}, hard-linked into {@code $TMPDIR/autoprobe-bench-KVER} on which
 * kmod's {@code depmod} runs once (kept for later runs). The corpus: {@code -Dautoprobe.corpus=FILE}, one lookup a line,
 * default {@code cli/target/alias-corpus.txt} (written by the conformance suite).
 */
final class IndexedTree {
    private static Path cached;

    private IndexedTree() {
    }

    /** A modules directory holding kmod's index files. */
    static synchronized Path moduleDir() throws IOException, InterruptedException {
        if (cached != null) {
            return cached;
        }
        String given = System.getProperty("autoprobe.indexedRoot");
        if (given != null) {
            String kver = System.getProperty("autoprobe.kver");
            if (kver == null) {
                throw new IOException("-Dautoprobe.indexedRoot needs -Dautoprobe.kver");
            }
            cached = SystemRoot.under(Path.of(given)).modulesDirectory(kver);
        } else {
            KernelTree tree = KernelTree.locate();
            Path done = Path.of(System.getProperty("java.io.tmpdir"), "autoprobe-bench-" + tree.kernelVersion);
            Path doneDir = SystemRoot.under(done).modulesDirectory(tree.kernelVersion);
            if (!Files.isRegularFile(doneDir.resolve("modules.alias.bin"))) {
                Path work = Files.createTempDirectory(done.getParent(), "autoprobe-bench-work");
                run("cp", "-al", tree.root.resolve("lib").toString(), work.resolve("lib").toString());
                run("depmod", "-b", work.toString(), tree.kernelVersion);
                run("rm", "-rf", done.toString());
                Files.move(work, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            cached = doneDir;
        }
        if (!Files.isRegularFile(cached.resolve("modules.alias.bin"))) {
            throw new IOException("no modules.alias.bin in " + cached + ": run kmod's depmod on the tree first");
        }
        return cached;
    }

    /** The lookups of the corpus file, in file order. */
    static List<String> corpus() throws IOException {
        Path file = Path.of(System.getProperty("autoprobe.corpus", "cli/target/alias-corpus.txt"));
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found: run the conformance suite (HarnessConformanceIT writes it)"
                    + " or give -Dautoprobe.corpus=FILE");
        }
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + ")");
        }
    }
}
