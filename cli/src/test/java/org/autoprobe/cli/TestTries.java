package org.autoprobe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.index.trie.TrieWriter;

/** Writes small kmod-format {@code .bin} indexes for command tests. */
final class TestTries {
    private TestTries() {
    }

    /** Writes a trie of {@code key, value} pairs, each pair's priority its position. */
    static void write(Path file, String... keyValuePairs) throws IOException {
        TrieWriter w = new TrieWriter();
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            w.add(keyValuePairs[i], keyValuePairs[i + 1], i / 2);
        }
        Files.write(file, w.toBytes());
    }
}
