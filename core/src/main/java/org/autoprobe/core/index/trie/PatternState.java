package org.autoprobe.core.index.trie;

import java.util.Arrays;
import org.autoprobe.core.match.Glob;

/**
 * The pattern a wildcard walk has read so far, matched incrementally against the rest of the key.
 *
 * <p>While the pattern holds only literal bytes, {@code ?} and {@code *}, the set of key positions
 * it can have consumed is kept per pattern length, as a bit set over key positions. An empty set
 * means no longer pattern can match either, so the walk can skip the whole subtree; a full pattern
 * matches iff the key's end is in its set. For such patterns that is exactly glibc's fnmatch (its
 * leftmost-first {@code *} is exact when every other token eats one byte). Once a {@code [} or
 * {@code \} enters the pattern the sets stop and {@link Glob} decides, as libkmod's fnmatch call
 * would. Reusable, one walk at a time; not thread-safe.
 */
final class PatternState {
    private static final int NONE = Integer.MAX_VALUE;

    private byte[] key = new byte[0];
    private int n;
    private int words = 1;
    /** {@code masks[b * words + w]}: key positions holding byte {@code b}. */
    private long[] masks = new long[256 * 2];
    private byte[] pattern = new byte[64];
    private int length;
    /** Position in {@code pattern} of the first byte the bit sets cannot follow, or NONE. */
    private int opaqueFrom = NONE;
    private int subkey;
    /** {@code sets[L]}: key positions reachable after the first L pattern bytes. */
    private long[][] sets = new long[16][];

    /** Prepares for searches of {@code newKey}. */
    void init(byte[] newKey) {
        // Only the words the last key set are cleared: one per key byte, so a long key costs
        // linear time here (clearing each byte's whole row made a 1 MB key quadratic).
        for (int i = 0; i < n; i++) {
            masks[(key[i] & 0xff) * words + (i >>> 6)] = 0;
        }
        key = newKey;
        n = newKey.length;
        words = (n >>> 6) + 1;
        if (masks.length < 256 * words) {
            masks = new long[256 * words];
        }
        for (int i = 0; i < n; i++) {
            masks[(newKey[i] & 0xff) * words + (i >>> 6)] |= 1L << i;
        }
    }

    /** Starts an empty pattern to be matched against {@code key[subkeyStart..]}. */
    void reset(int subkeyStart) {
        length = 0;
        opaqueFrom = NONE;
        subkey = subkeyStart;
        long[] start = set(0);
        for (int w = 0; w < words; w++) {
            start[w] = 0;
        }
        start[subkeyStart >>> 6] = 1L << subkeyStart;
    }

    int length() {
        return length;
    }

    /**
     * Appends a byte.
     *
     * @return false when no pattern starting with what has been read can match (skip the subtree)
     */
    boolean push(byte b) {
        if (length == pattern.length) {
            pattern = Arrays.copyOf(pattern, length * 2);
        }
        pattern[length] = b;
        int at = length++;
        if (opaqueFrom != NONE) {
            return true;
        }
        if (b == '[' || b == '\\' || b == 0) {
            opaqueFrom = at;
            return true;
        }
        long[] from = sets[at];
        long[] to = set(at + 1);
        return b == '*' ? star(from, to) : b == '?' ? any(from, to) : literal(from, to, b & 0xff);
    }

    /**
     * The bytes whose appending could leave a pattern that still may match, as a 256-bit set in
     * {@code out[off..off+4)}: every byte once the sets have stopped; otherwise the wildcard and
     * escape bytes, NUL, and each key byte at a position the pattern so far can have reached. Lets a
     * walk skip children without reading them.
     */
    void nextBytes(long[] out, int off) {
        if (opaqueFrom != NONE) {
            Arrays.fill(out, off, off + 4, -1L);
            return;
        }
        out[off] = 1L | 1L << '*' | 1L << '?';
        out[off + 1] = 1L << ('[' - 64) | 1L << ('\\' - 64);
        out[off + 2] = 0;
        out[off + 3] = 0;
        long[] current = sets[length];
        for (int w = 0; w < words; w++) {
            long bits = current[w];
            while (bits != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (i < n) {
                    int b = key[i] & 0xff;
                    out[off + (b >>> 6)] |= 1L << b;
                }
            }
        }
    }

    /** Removes the last {@code count} bytes. */
    void pop(int count) {
        length -= count;
        if (length <= opaqueFrom) {
            opaqueFrom = NONE;
        }
    }

    /** Whether the whole pattern read so far matches the whole of the key's rest. */
    boolean matches() {
        if (opaqueFrom != NONE) {
            return Glob.matches(pattern, length, key, subkey, n);
        }
        return (sets[length][n >>> 6] & (1L << n)) != 0;
    }

    private boolean literal(long[] from, long[] to, int b) {
        int base = b * words;
        long carry = 0;
        long any = 0;
        for (int w = 0; w < words; w++) {
            long hit = from[w] & masks[base + w];
            long bits = (hit << 1) | carry;
            carry = hit >>> 63;
            to[w] = bits;
            any |= bits;
        }
        return any != 0;
    }

    private boolean any(long[] from, long[] to) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long bits = from[w];
            to[w] = (bits << 1) | carry;
            carry = bits >>> 63;
        }
        // Nothing may pass the key's end.
        int last = words - 1;
        int keep = n - (last << 6);
        to[last] &= keep == 63 ? -1L : (1L << (keep + 1)) - 1;
        long any = 0;
        for (int w = 0; w < words; w++) {
            any |= to[w];
        }
        return any != 0;
    }

    private boolean star(long[] from, long[] to) {
        int lowest = -1;
        for (int w = 0; w < words; w++) {
            if (from[w] != 0) {
                lowest = (w << 6) + Long.numberOfTrailingZeros(from[w]);
                break;
            }
        }
        if (lowest < 0) {
            Arrays.fill(to, 0, words, 0L);
            return false;
        }
        for (int w = 0; w < words; w++) {
            int base = w << 6;
            long bits = -1L;
            if (w == words - 1) {
                int keep = n - base;
                bits = keep == 63 ? -1L : (1L << (keep + 1)) - 1;
            }
            if (base + 63 < lowest) {
                bits = 0;
            } else if (base < lowest) {
                bits &= -1L << (lowest - base);
            }
            to[w] = bits;
        }
        return true;
    }

    private long[] set(int len) {
        if (len >= sets.length) {
            sets = Arrays.copyOf(sets, Math.max(len + 1, sets.length * 2));
        }
        long[] s = sets[len];
        if (s == null || s.length < words) {
            s = new long[Math.max(words, 2)];
            sets[len] = s;
        }
        return s;
    }
}
