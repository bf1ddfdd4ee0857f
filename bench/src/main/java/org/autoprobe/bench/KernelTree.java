package org.autoprobe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.root.SystemRoot;

/** Locates the real Debian module tree through {@code bench/scripts/kernel-tree.sh} (downloads once). */
final class KernelTree {
    final Path root;
    final String kernelVersion;

    private KernelTree(Path root, String kernelVersion) {
        this.root = root;
        this.kernelVersion = kernelVersion;
    }

    Path moduleDir() {
        return SystemRoot.under(root).modulesDirectory(kernelVersion);
    }

    static KernelTree locate() throws IOException, InterruptedException {
        String script = System.getProperty("autoprobe.kernelTreeScript", "bench/scripts/kernel-tree.sh");
        if (!Files.isExecutable(Path.of(script))) {
            throw new IOException(script + " not found: run the benchmark from the project root"
                    + " or set -Dautoprobe.kernelTreeScript=PATH");
        }
        Process p = new ProcessBuilder(script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IOException(script + " failed (exit " + p.exitValue() + ")");
        }
        String[] parts = out.split(" ");
        return new KernelTree(Path.of(parts[0]), parts[1]);
    }
}
