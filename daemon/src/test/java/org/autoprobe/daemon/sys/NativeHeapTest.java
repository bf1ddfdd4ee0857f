package org.autoprobe.daemon.sys;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class NativeHeapTest {

    /**
     * Memory that {@code free} returned but glibc kept (freed chunks below one still in use, so its
     * automatic trim of the heap's top cannot give them back) leaves the process's resident set only
     * through the trim.
     */
    @Test
    void freedCHeapMemoryLeavesTheResidentSet() throws IOException {
        int chunks = 1_024;
        int size = 64 * 1024; // under glibc's mmap threshold: from the arena, not a mapping of its own
        long[] blocks = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            blocks[i] = Native.malloc(size);
            assertTrue(blocks[i] != 0, "malloc");
            com.sun.jna.Pointer p = new com.sun.jna.Pointer(blocks[i]);
            for (int off = 0; off < size; off += 4096) {
                p.setByte(off, (byte) 1); // touched: resident
            }
        }
        long keep = Native.malloc(size); // above the others: the top cannot shrink past it
        try {
            for (long b : blocks) {
                Native.free(b);
            }
            long before = rssAnonKb();
            assertTrue(NativeHeap.trim(), "glibc has malloc_trim");
            long after = rssAnonKb();
            // 64 MiB freed; allow for what other threads of the test JVM do meanwhile
            assertTrue(before - after > 32 * 1024, "RssAnon " + before + " kB -> " + after + " kB");
        } finally {
            Native.free(keep);
        }
    }

    private static long rssAnonKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no RssAnon in /proc/self/status");
    }
}
