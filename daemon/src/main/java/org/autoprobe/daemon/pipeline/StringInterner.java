package org.autoprobe.daemon.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte texts (copied out of a ring slot) into Strings, giving back the same String for the
 * same bytes, so a replayed or repeated event costs no allocation once its texts were seen: the
 * rules and the resolver's cache take Strings. A text is hashed eight bytes at a time and
 * compared in bulk. Strings read the bytes as ISO-8859-1, one char per byte, as the slot's views
 * do. Bounded: when half full it starts over. Single-threaded (the rules stage's).
 */
final class StringInterner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private final String[] strings;
    private final byte[][] texts;
    private final int[] hashes;
    private final int mask;
    private int size;

    /** @param capacity table slots, a power of two; at most half are used */
    StringInterner(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 2) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        strings = new String[capacity];
        texts = new byte[capacity][];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    /** The String of {@code b[from, to)}. */
    String intern(byte[] b, int from, int to) {
        int h = hash(b, from, to);
        int i = h & mask;
        byte[] t;
        while ((t = texts[i]) != null) {
            if (hashes[i] == h && Arrays.equals(t, 0, t.length, b, from, to)) {
                return strings[i];
            }
            i = (i + 1) & mask;
        }
        if (size >= strings.length / 2) {
            Arrays.fill(strings, null);
            Arrays.fill(texts, null);
            size = 0;
            i = h & mask;
        }
        t = Arrays.copyOfRange(b, from, to);
        String s = new String(t, StandardCharsets.ISO_8859_1);
        texts[i] = t;
        strings[i] = s;
        hashes[i] = h;
        size++;
        return s;
    }

    int size() {
        return size;
    }

    /** A hash of {@code b[from, to)}, a multiply per eight bytes. */
    static int hash(byte[] b, int from, int to) {
        long h = (to - from) * MULTIPLIER;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(b, i)) * MULTIPLIER;
            h ^= h >>> 29;
        }
        for (; i < to; i++) {
            h = (h ^ (b[i] & 0xff)) * MULTIPLIER;
        }
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }
}
