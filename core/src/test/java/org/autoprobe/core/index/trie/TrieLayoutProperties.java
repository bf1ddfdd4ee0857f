package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * kmod 34's layout (root first) holds the same trie as kmod 30's (root last): the same size, the
 * same keys and values in the same order for the reader, the root right after the header, and
 * every node before the nodes below it.
 */
class TrieLayoutProperties {
    @Property(tries = 300)
    void bothLayoutsHoldTheSameTrie(
            @ForAll @Size(max = 80) List<@StringLength(max = 14) @CharRange(from = 'a', to = 'f') String> keys,
            @ForAll @Size(min = 1, max = 80) List<@IntRange(max = 6) Integer> priorities) throws Exception {
        TrieWriter w = new TrieWriter();
        for (int i = 0; i < keys.size(); i++) {
            w.add(keys.get(i), "m" + i, priorities.get(i % priorities.size()));
        }
        byte[] old = w.toBytes(TrieWriter.Layout.KMOD_30);
        byte[] now = w.toBytes(TrieWriter.Layout.KMOD_34);
        assertEquals(old.length, now.length, "the same nodes, in another order");
        TrieReader a = TrieReader.wrap(ByteBuffer.wrap(old), "kmod 30 layout");
        TrieReader b = TrieReader.wrap(ByteBuffer.wrap(now), "kmod 34 layout");
        assertEquals(dump(a), dump(b));
        for (String k : keys) {
            assertEquals(a.searchWild(k), b.searchWild(k), k);
            assertEquals(a.search(k), b.search(k), k);
        }
        ByteBuffer buf = ByteBuffer.wrap(now);
        assertEquals(12, buf.getInt(8) & TrieWriter.OFFSET_MASK, "the root right after the header");
        assertPreOrder(buf, buf.getInt(8), 12);
    }

    private static Map<String, List<String>> dump(TrieReader r) {
        Map<String, List<String>> out = new TreeMap<>();
        r.forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        return out;
    }

    /**
     * Walks the node at {@code ref}, which must start at {@code expected}; returns where the bytes
     * after its subtree start (the next sibling's place in a pre-order layout).
     */
    private static int assertPreOrder(ByteBuffer buf, int ref, int expected) {
        int at = ref & TrieWriter.OFFSET_MASK;
        assertEquals(expected, at, "node not where pre-order puts it");
        int p = at;
        if ((ref & TrieWriter.FLAG_PREFIX) != 0) {
            while (buf.get(p) != 0) {
                p++;
            }
            p++;
        }
        List<Integer> kids = new ArrayList<>();
        if ((ref & TrieWriter.FLAG_CHILDREN) != 0) {
            int first = buf.get(p) & 0xFF;
            int last = buf.get(p + 1) & 0xFF;
            p += 2;
            for (int c = first; c <= last; c++) {
                int child = buf.getInt(p);
                p += 4;
                if (child != 0) {
                    kids.add(child);
                }
            }
        }
        if ((ref & TrieWriter.FLAG_VALUES) != 0) {
            int count = buf.getInt(p);
            p += 4;
            for (int i = 0; i < count; i++) {
                p += 4;
                while (buf.get(p) != 0) {
                    p++;
                }
                p++;
            }
        }
        for (int child : kids) {
            p = assertPreOrder(buf, child, p);
        }
        return p;
    }
}
