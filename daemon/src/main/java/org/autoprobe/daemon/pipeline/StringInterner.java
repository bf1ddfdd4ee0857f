package org.autoprobe.daemon.pipeline;

import java.util.Arrays;

/**
 * Turns character sequences (views on a ring slot's bytes) into Strings, giving back the same
 * String for the same text, so a replayed or repeated event costs no allocation once its texts
 * were seen: the rules and the resolver's cache take Strings. Bounded: when half full it starts
 * over. Single-threaded (the rules stage's).
 */
final class StringInterner {
    private final String[] table;
    private final int mask;
    private int size;

    /** @param capacity table slots, a power of two; at most half are used */
    StringInterner(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 2) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        table = new String[capacity];
        mask = capacity - 1;
    }

    String intern(CharSequence text) {
        int h = hash(text);
        int i = h & mask;
        String s;
        while ((s = table[i]) != null) {
            if (same(s, text)) {
                return s;
            }
            i = (i + 1) & mask;
        }
        if (size >= table.length / 2) {
            Arrays.fill(table, null);
            size = 0;
            i = h & mask;
        }
        s = text.toString();
        table[i] = s;
        size++;
        return s;
    }

    int size() {
        return size;
    }

    private static int hash(CharSequence text) {
        int h = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }

    private static boolean same(String s, CharSequence text) {
        int n = s.length();
        if (n != text.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
