package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.autoprobe.core.match.Glob;

class PatternStateProperties {
    /** Incremental matching answers as fnmatch does, and only prunes what fnmatch would refuse. */
    @Property(tries = 3000)
    void agreesWithGlobAndPrunesSoundly(
            @ForAll @Chars({'a', 'b', '*', '?', '[', ']', '\\', '!'}) @StringLength(min = 1, max = 10) String pattern,
            @ForAll @Chars({'a', 'b', 'c'}) @StringLength(max = 5) String prefix,
            @ForAll @Chars({'a', 'b', '*', '?', '[', ']'}) @StringLength(max = 3) String anyTail,
            @ForAll @Chars({'a', 'b', '['}) @StringLength(max = 150) String text) {
        byte[] key = (prefix + text).getBytes(StandardCharsets.US_ASCII);
        PatternState state = new PatternState();
        state.init(key);
        state.reset(prefix.length());
        byte[] p = pattern.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < p.length; i++) {
            if (!state.push(p[i])) {
                String cut = pattern.substring(0, i + 1);
                assertFalse(Glob.matches(cut, text), cut + " pruned but matches " + text);
                assertFalse(Glob.matches(cut + anyTail, text), cut + anyTail + " pruned but matches " + text);
                return;
            }
        }
        assertEquals(Glob.matches(pattern, text), state.matches(), pattern + " vs " + text);
        state.pop(p.length);
        assertEquals(0, state.length());
    }

    @Example
    void wordBoundariesOfLongKeys() {
        for (int len = 60; len <= 132; len++) {
            String text = "b".repeat(len - 1) + "a";
            for (String pattern : new String[] {"*a", "?*a", "b*", "*b", "?".repeat(len), "?".repeat(len - 1),
                    "*" + "?".repeat(len), "*" + "?".repeat(len + 1), "b".repeat(63) + "*", "*?b", "*a*"}) {
                byte[] key = ("xx" + text).getBytes(StandardCharsets.US_ASCII);
                PatternState state = new PatternState();
        state.init(key);
                state.reset(2);
                boolean alive = true;
                for (byte b : pattern.getBytes(StandardCharsets.US_ASCII)) {
                    alive &= state.push(b);
                }
                assertEquals(Glob.matches(pattern, text), alive && state.matches(), pattern + " vs " + len);
            }
        }
    }

    /**
     * One state reused for keys of very different lengths (as a walker thread reuses it): init
     * clears what the previous key left, so no stale position of an earlier key is seen.
     */
    @Property(tries = 300)
    void reusedAcrossKeysAgreesWithGlob(
            @ForAll @Chars({'a', 'b', 'c'}) @StringLength(max = 300) String first,
            @ForAll @Chars({'a', 'b', 'c'}) @StringLength(max = 200) String second,
            @ForAll @Chars({'a', 'b', 'c', '*', '?'}) @StringLength(min = 1, max = 8) String pattern) {
        PatternState state = new PatternState();
        for (String text : new String[] {first, second, first}) {
            state.init(text.getBytes(StandardCharsets.US_ASCII));
            state.reset(0);
            boolean alive = true;
            for (byte b : pattern.getBytes(StandardCharsets.US_ASCII)) {
                alive &= state.push(b);
            }
            assertEquals(Glob.matches(pattern, text), alive && state.matches(), pattern + " vs " + text);
        }
    }

    /**
     * A 1 MB key, then a short one: both searched correctly (preparing a key is linear in its
     * length; it used to clear 256 rows as long as the previous key, quadratic for one long key).
     */
    @Example
    void megabyteKey() {
        PatternState state = new PatternState();
        String big = "b".repeat(1 << 20) + "a";
        for (String text : new String[] {big, "bbba", big, "ab"}) {
            state.init(text.getBytes(StandardCharsets.US_ASCII));
            for (String pattern : new String[] {"*a", "b*", "*b", "?*a", "*ba"}) {
                state.reset(0);
                boolean alive = true;
                for (byte b : pattern.getBytes(StandardCharsets.US_ASCII)) {
                    alive &= state.push(b);
                }
                assertEquals(Glob.matches(pattern, text), alive && state.matches(), pattern + " vs " + text.length());
            }
        }
    }
}
