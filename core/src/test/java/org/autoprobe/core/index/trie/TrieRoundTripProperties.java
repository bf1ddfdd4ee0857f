package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The production writer and the production reader agree: what is written is found, and nothing else. */
class TrieRoundTripProperties {
    private static final Comparator<TrieReader.Value> ORDER =
            Comparator.comparingInt(TrieReader.Value::priority).thenComparing(TrieReader.Value::value);

    @Property(tries = 300)
    void everythingWrittenIsReadBack(
            @ForAll @Size(max = 80) List<@StringLength(max = 14) @CharRange(from = 'a', to = 'f') String> keys,
            @ForAll @Size(min = 1, max = 80) List<@IntRange(max = 6) Integer> priorities) throws Exception {
        TrieWriter w = new TrieWriter();
        Map<String, List<TrieReader.Value>> expected = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            int prio = priorities.get(i % priorities.size());
            String value = "m" + i;
            w.add(keys.get(i), value, prio);
            expected.computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(new TrieReader.Value(prio, value));
        }
        TrieReader r = TrieReader.wrap(ByteBuffer.wrap(w.toBytes()), "round-trip");
        for (Map.Entry<String, List<TrieReader.Value>> e : expected.entrySet()) {
            List<TrieReader.Value> want = new ArrayList<>(e.getValue());
            List<TrieReader.Value> got = new ArrayList<>(r.searchWild(e.getKey()));
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i - 1).priority() <= got.get(i).priority(), "values not in priority order: " + got);
            }
            want.sort(ORDER);
            got.sort(ORDER);
            assertEquals(want, got, "key " + e.getKey());
            int lowest = want.get(0).priority();
            String first = r.search(e.getKey()).orElseThrow();
            assertTrue(e.getValue().stream().anyMatch(v -> v.priority() == lowest && v.value().equals(first)),
                    "search(" + e.getKey() + ") gave " + first + ", not a lowest-priority value of " + want);
        }
        assertTrue(r.search("g").isEmpty());
        assertTrue(r.searchWild("abcdefg").stream().allMatch(v -> expected.containsKey("abcdefg")));
        Map<String, List<String>> dumped = new TreeMap<>();
        r.forEach((k, v) -> dumped.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        assertEquals(new TreeMap<>(expected).keySet(), dumped.keySet());
    }
}
