package org.autoprobe.core.index.trie;

/**
 * The pattern a wildcard walk has read so far, matched incrementally against the rest of the key.
 *
 * <p>While the pattern holds only literal bytes, {@code ?} and {@code *}, the set of key positions
 * it can have consumed is kept per pattern length (a bit set over positions {@code 0..m}). An empty
 * set means no longer pattern can match either, so the walk can skip the whole subtree; a full
 * pattern matches iff position {@code m} is in its set. For such patterns that is exactly glibc's
 * fnmatch (its leftmost-first {@code *} is exact when every other token eats one byte). Once a
 * {@code [} or {@code \} enters the pattern the sets stop and {@link Glob} decides, as libkmod's
 * fnmatch call would. Single-use per walk, not thread-safe.
 */
final class PatternState {
    private static final int NONE = Integer.MAX_VALUE;

    private final byte[] key;
    private byte[] pattern = new byte[64];
    private int length;
    /** Position in {@code pattern} of the first byte the bit sets cannot follow, or NONE. */
    private int opaqueFrom = NONE;
    /** Start of the part of the key the pattern is matched against, and its length. */
    private int subkey;
    private int m;
    private int words;
    /** {@code sets[L]}: key positions reachable after the first L pattern bytes. */
    private long[][] sets = new long[16][];

    PatternState(byte[] key) {
        this.key = key;
    }

    /** Starts an empty pattern to be matched against {@code key[subkey..]}. */
    void reset(int subkeyStart) {
        length = 0;
        opaqueFrom = NONE;
        subkey = subkeyStart;
        m = key.length - subkeyStart;
        words = (m >>> 6) + 1;
        long[] start = set(0);
        java.util.Arrays.fill(start, 0, words, 0L);
        start[0] = 1L;
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
            pattern = java.util.Arrays.copyOf(pattern, length * 2);
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
        return step(set(at), set(at + 1), b);
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
            return org.autoprobe.core.match.Glob.matches(pattern, length, key, subkey, key.length);
        }
        return (sets[length][m >>> 6] & (1L << m)) != 0;
    }

    private boolean step(long[] from, long[] to, byte b) {
        long any = 0;
        if (b == '*') {
            int lowest = -1;
            for (int w = 0; w < words; w++) {
                if (from[w] != 0) {
                    lowest = (w << 6) + Long.numberOfTrailingZeros(from[w]);
                    break;
                }
            }
            if (lowest < 0) {
                java.util.Arrays.fill(to, 0, words, 0L);
                return false;
            }
            for (int w = 0; w < words; w++) {
                int base = w << 6;
                long bits = -1L;
                if (base + 63 > m) {
                    bits = m - base >= 63 ? -1L : (1L << (m - base + 1)) - 1;
                }
                if (base < lowest) {
                    bits = lowest - base >= 64 ? 0 : bits & (-1L << (lowest - base));
                }
                to[w] = bits;
                any |= bits;
            }
        } else if (b == '?') {
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long bits = (from[w] << 1) | carry;
                carry = from[w] >>> 63;
                if ((w << 6) + 63 > m) {
                    int keep = m - (w << 6);
                    bits &= keep >= 63 ? -1L : (1L << (keep + 1)) - 1;
                }
                to[w] = bits;
                any |= bits;
            }
        } else {
            java.util.Arrays.fill(to, 0, words, 0L);
            for (int w = 0; w < words; w++) {
                long bits = from[w];
                while (bits != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (i < m && key[subkey + i] == b) {
                        to[(i + 1) >>> 6] |= 1L << (i + 1);
                        any = 1;
                    }
                }
            }
        }
        return any != 0;
    }

    private long[] set(int len) {
        if (len >= sets.length) {
            sets = java.util.Arrays.copyOf(sets, Math.max(len + 1, sets.length * 2));
        }
        long[] s = sets[len];
        if (s == null || s.length < words) {
            s = new long[Math.max(words, 2)];
            sets[len] = s;
        }
        return s;
    }
}
