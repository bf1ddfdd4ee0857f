package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapped index is copied into an array by its first search ({@code TrieReader.Bytes}, double-checked
 * under a lock): threads that all search a fresh reader at the same moment must each get the right
 * answers, whichever of them makes the copy.
 */
class TrieReaderConcurrencyTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 300;

    @Test
    void threadsRacingToTheFirstSearchAllAnswerRight(@TempDir Path dir) throws Exception {
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add("pci:v" + i + "d*");
            entries.add(i);
            entries.add("mod" + i);
            entries.add("usb:" + i);
            entries.add(i);
            entries.add("usbmod" + i);
        }
        Path file = dir.resolve("modules.alias.bin");
        Files.write(file, TrieBytes.of(entries.toArray()));
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < ROUNDS; round++) {
            TrieReader reader = TrieReader.open(file);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = me; i < 200; i += THREADS) {
                            Optional<String> exact = reader.search("usb:" + i);
                            if (!exact.equals(Optional.of("usbmod" + i))) {
                                wrong.add("usb:" + i + " -> " + exact);
                            }
                            List<TrieReader.Value> wild = reader.searchWild("pci:v" + i + "d1234");
                            if (wild.size() != 1 || !wild.get(0).value().equals("mod" + i)) {
                                wrong.add("pci:v" + i + " -> " + wild);
                            }
                        }
                    } catch (Exception e) {
                        wrong.add(e.toString());
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join(10_000);
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, e.g. " + wrong.stream().limit(5).toList());
        assertEquals(Optional.empty(), TrieReader.open(file).search("usb:999"));
    }
}
