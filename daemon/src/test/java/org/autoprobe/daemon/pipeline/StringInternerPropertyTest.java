package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link StringInterner} (single-threaded, the rules stage's) against a plain map: any text, at any
 * place in a buffer, gives a String equal to it, the same String as the last time until the table
 * starts over, and the table never holds more than half its slots.
 */
class StringInternerPropertyTest {
    @Provide
    Arbitrary<String> texts() {
        // a small alphabet, so that texts repeat and hashes collide in small tables; bytes above 127 too
        return Arbitraries.strings().withChars('a', 'b', '/', ':', '\u00e9').ofMaxLength(20);
    }

    @Property(tries = 300)
    void internsAsAMapWould(@ForAll @Size(max = 200) List<@From("texts") String> sequence,
                            @ForAll @IntRange(min = 1, max = 6) int log2Capacity,
                            @ForAll @IntRange(min = 0, max = 9) int offset) {
        int capacity = 1 << log2Capacity;
        StringInterner interner = new StringInterner(capacity);
        Map<String, String> model = new HashMap<>();
        for (String text : sequence) {
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            byte[] buffer = new byte[offset + raw.length + 3];
            java.util.Arrays.fill(buffer, (byte) 'x');
            System.arraycopy(raw, 0, buffer, offset, raw.length);
            int before = interner.size();
            String got = interner.intern(buffer, offset, offset + raw.length);
            assertEquals(text, got);
            String known = model.get(text);
            if (known != null) {
                assertSame(known, got, "the same String while the table holds it: " + text);
                assertEquals(before, interner.size());
            } else {
                if (interner.size() <= before) {
                    model.clear(); // it started over: what it held is forgotten
                    assertEquals(1, interner.size());
                }
                model.put(text, got);
            }
            assertEquals(model.size(), interner.size());
            assertTrue(interner.size() <= capacity / 2, "at most half full: " + interner.size());
        }
    }
}
