package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.core.index.trie.TrieReader.Value;
import org.autoprobe.core.match.Glob;
import org.autoprobe.core.testing.TrieBytes;

class TrieReaderProperties {
    @Provide
    Arbitrary<List<String>> patterns() {
        return Arbitraries.strings().withChars("ab:*?").ofMinLength(1).ofMaxLength(6)
                .list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("ab:").ofMaxLength(7);
    }

    /** Without backslashes, the walk finds exactly the keys that fnmatch the search key. */
    @Property(tries = 500)
    void wildSearchFindsWhatFnmatchOfEveryKeyFinds(@ForAll("patterns") List<String> patterns,
            @ForAll("keys") String key, @ForAll long seed) {
        Random random = new Random(seed);
        TrieBytes bytes = TrieBytes.create();
        List<Value> expected = new ArrayList<>();
        for (String p : patterns) {
            String pattern = random.nextInt(4) == 0 ? p.replace("b", "[b:]") : p;
            Value v = new Value(random.nextInt(5), pattern);
            bytes.add(pattern, v.priority(), v.value());
            if (Glob.matches(pattern, key)) {
                expected.add(v);
            }
        }
        List<Value> got = bytes.reader().searchWild(key);
        Comparator<Value> order = Comparator.comparingInt(Value::priority).thenComparing(Value::value);
        List<Value> sortedGot = new ArrayList<>(got);
        sortedGot.sort(order);
        expected.sort(order);
        assertEquals(expected, sortedGot);
        for (int i = 1; i < got.size(); i++) {
            assertEquals(true, got.get(i - 1).priority() <= got.get(i).priority(), () -> "not by priority: " + got);
        }
    }

    @Property(tries = 300)
    void forEachListsEveryPairInKeyOrder(@ForAll("patterns") List<String> keys, @ForAll long seed) {
        Random random = new Random(seed);
        TrieBytes bytes = TrieBytes.create();
        Map<String, List<String>> expected = new TreeMap<>();
        for (String k : keys) {
            String v = "m" + random.nextInt(100);
            bytes.add(k, 0, v);
            expected.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        List<String> want = new ArrayList<>();
        expected.forEach((k, vs) -> vs.forEach(v -> want.add(k + " " + v)));
        List<String> got = new ArrayList<>();
        bytes.reader().forEach((k, v) -> got.add(k + " " + v));
        assertEquals(want, got);
    }

    /** Corrupt bytes give answers or a format error naming the file, never another exception. */
    @Property(tries = 1000)
    void corruptIndexesFailCleanly(@ForAll("patterns") List<String> keys, @ForAll long seed) {
        Random random = new Random(seed);
        TrieBytes bytes = TrieBytes.create();
        for (String k : keys) {
            bytes.add(k, random.nextInt(3), "mod" + random.nextInt(9));
        }
        byte[] b = bytes.build();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = 12 + random.nextInt(b.length - 12);
            b[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) (b[at] ^ (1 << random.nextInt(8)));
        }
        if (random.nextInt(5) == 0) {
            b = java.util.Arrays.copyOf(b, 12 + random.nextInt(b.length - 11));
        }
        TrieReader r;
        try {
            r = TrieReader.wrap(ByteBuffer.wrap(b), "fuzz.bin");
        } catch (TrieFormatException e) {
            return;
        }
        String key = keys.get(random.nextInt(keys.size())).replace('*', 'a').replace('?', 'b');
        for (Runnable op : List.<Runnable>of(() -> r.search(key), () -> r.searchWild(key),
                () -> r.forEach((k, v) -> { }), () -> r.withMode(TrieReader.Mode.FILE).searchWild(key))) {
            try {
                op.run();
            } catch (UncheckedIOException e) {
                TrieFormatException cause = assertInstanceOf(TrieFormatException.class, e.getCause());
                assertEquals("fuzz.bin", cause.source());
            }
        }
    }
}
