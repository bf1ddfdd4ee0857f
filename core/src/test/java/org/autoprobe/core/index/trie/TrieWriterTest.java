package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TrieWriterTest {
    private static byte[] words(int... w) {
        byte[] b = new byte[w.length * 4];
        for (int i = 0; i < w.length; i++) {
            b[i * 4] = (byte) (w[i] >>> 24);
            b[i * 4 + 1] = (byte) (w[i] >>> 16);
            b[i * 4 + 2] = (byte) (w[i] >>> 8);
            b[i * 4 + 3] = (byte) w[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void emptyTrieIsHeaderAndAnEmptyRoot() {
        // the root has no prefix, children or values: it takes no bytes and sits right after the header
        assertArrayEquals(words(0xB007F457, 0x00020001, 12), new TrieWriter().toBytes());
    }

    @Test
    void oneKeyWritesTheChildBeforeTheRoot() {
        TrieWriter w = new TrieWriter();
        w.add("a", "x", 1);
        byte[] expected = concat(
                words(0xB007F457, 0x00020001, 0x20000000 | 22),
                // offset 12: the node under 'a' — no prefix, one value (priority 1, "x")
                words(1, 1), new byte[] {'x', 0},
                // offset 22: the root — children 'a'..'a', one reference to 12 with its values flag
                new byte[] {'a', 'a'}, words(0x40000000 | 12));
        assertArrayEquals(expected, w.toBytes());
    }

    @Test
    void prefixesAreSplitAtTheFirstDifference() {
        TrieWriter w = new TrieWriter();
        w.add("abc", "1", 0);
        w.add("abd", "2", 0);
        // 12: the 'c' leaf, 22: the 'd' leaf (empty prefixes); 32: node "b" with children c..d;
        // the root is at 44: children a..a pointing to the "b" node (prefix + children flags)
        byte[] expected = concat(
                words(0xB007F457, 0x00020001, 0x20000000 | 44),
                words(1, 0), new byte[] {'1', 0},
                words(1, 0), new byte[] {'2', 0},
                new byte[] {'b', 0, 'c', 'd'}, words(0x40000000 | 12, 0x40000000 | 22),
                new byte[] {'a', 'a'}, words(0x80000000 | 0x20000000 | 32));
        assertArrayEquals(expected, w.toBytes());
    }

    @Test
    void childGapsAreZeroReferences() {
        TrieWriter w = new TrieWriter();
        w.add("a", "1", 0);
        w.add("c", "2", 0);
        byte[] b = w.toBytes();
        // root at 32: 'a', 'c', then refs for a, b (none), c
        assertArrayEquals(concat(new byte[] {'a', 'c'}, words(0x40000000 | 12, 0, 0x40000000 | 22)),
                java.util.Arrays.copyOfRange(b, 32, b.length));
    }

    @Test
    void valuesSortByPriorityNewestFirstAmongEqualsDuplicatesKept() {
        TrieWriter w = new TrieWriter();
        assertFalse(w.add("k", "b", 2));
        assertFalse(w.add("k", "a", 2));
        assertFalse(w.add("k", "c", 1));
        assertTrue(w.add("k", "a", 2));
        assertFalse(w.add("k", "z", 9));
        assertEquals(List.of(new TestTrieReader.Value(1, "c"), new TestTrieReader.Value(2, "a"),
                        new TestTrieReader.Value(2, "a"), new TestTrieReader.Value(2, "b"), new TestTrieReader.Value(9, "z")),
                new TestTrieReader(w.toBytes()).values("k"));
        assertEquals(5, w.size());
    }

    @Test
    void keyThatIsAPrefixOfAnotherAndEmptyKeys() {
        TrieWriter w = new TrieWriter();
        w.add("usb:v1234", "long", 3);
        w.add("usb", "short", 1);
        w.add("", "root", 0);
        TestTrieReader r = new TestTrieReader(w.toBytes());
        assertEquals(List.of(new TestTrieReader.Value(3, "long")), r.values("usb:v1234"));
        assertEquals(List.of(new TestTrieReader.Value(1, "short")), r.values("usb"));
        assertEquals(List.of(new TestTrieReader.Value(0, "root")), r.values(""));
        assertEquals(List.of(), r.values("us"));
        assertEquals(List.of(), r.values("usb:v12345"));
    }

    @Test
    void nonAsciiKeysAndNulAreRefused() {
        TrieWriter w = new TrieWriter();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.add("caf\u00e9", "m", 0));
        assertTrue(e.getMessage().contains("7-bit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.add("a", "b\0c", 0));
        w.add("ascii", "valu\u00e9", 0); // values may hold any byte but NUL
        assertEquals("valu\u00e9", new TestTrieReader(w.toBytes()).values("ascii").get(0).value());
    }

    @Test
    void writeToStreamEqualsToBytes() throws Exception {
        TrieWriter w = new TrieWriter();
        w.add("x", "y", 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        assertArrayEquals(w.toBytes(), out.toByteArray());
    }

    @Property(tries = 200)
    void everyKeyIsFoundWithItsValuesInKmodOrder(
            @ForAll @Size(max = 60) List<@StringLength(max = 12) @CharRange(from = 'a', to = 'e') String> keys,
            @ForAll @Size(max = 60) List<@IntRange(max = 5) Integer> priorities) {
        TrieWriter w = new TrieWriter();
        Map<String, List<TestTrieReader.Value>> expected = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int prio = priorities.isEmpty() ? 0 : priorities.get(i % priorities.size());
            String value = "v" + i;
            w.add(keys.get(i), value, prio);
            List<TestTrieReader.Value> list = expected.computeIfAbsent(keys.get(i), k -> new ArrayList<>());
            int at = 0;
            while (at < list.size() && list.get(at).priority() < prio) {
                at++;
            }
            list.add(at, new TestTrieReader.Value(prio, value));
        }
        TestTrieReader r = new TestTrieReader(w.toBytes());
        for (Map.Entry<String, List<TestTrieReader.Value>> e : expected.entrySet()) {
            assertEquals(e.getValue(), r.values(e.getKey()), "key " + e.getKey());
        }
        assertEquals(List.of(), r.values("f"));
    }
}
