package org.autoprobe.core.index;

import java.nio.charset.StandardCharsets;

/**
 * The order in which kmod's hash tables hand back their entries: by bucket (Paul Hsieh's
 * SuperFastHash of the key, masked to the table size) and, within a bucket, by {@code strcmp}.
 * depmod lists the modules outside {@code modules.order} and the symbols in this order.
 */
final class KmodHash {
    /** depmod's module-name table has 512 buckets. */
    static final int MODULE_BUCKETS = 512;
    /** depmod's symbol table has 2048 buckets. */
    static final int SYMBOL_BUCKETS = 2048;

    private KmodHash() {
    }

    /** One key with its bucket, ready to sort. */
    static final class Key<T> implements Comparable<Key<T>> {
        final byte[] bytes;
        final int bucket;
        final T item;

        Key(String key, int buckets, T item) {
            this.bytes = bytes(key);
            this.bucket = superFast(bytes) & (buckets - 1);
            this.item = item;
        }

        @Override
        public int compareTo(Key<T> o) {
            if (bucket != o.bucket) {
                return Integer.compare(bucket, o.bucket);
            }
            return strcmp(bytes, o.bytes);
        }
    }

    static byte[] bytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** strcmp: unsigned bytes, a shorter prefix first. */
    static int strcmp(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = (a[i] & 0xFF) - (b[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return a.length - b.length;
    }

    /** SuperFastHash over the key's bytes, as kmod computes it on x86 (little-endian, signed char). */
    static int superFast(byte[] key) {
        int len = key.length;
        int hash = len;
        int rem = len & 3;
        int p = 0;
        for (int n = len >>> 2; n > 0; n--) {
            hash += u16(key, p);
            int tmp = (u16(key, p + 2) << 11) ^ hash;
            hash = (hash << 16) ^ tmp;
            p += 4;
            hash += hash >>> 11;
        }
        switch (rem) {
            case 3 -> {
                hash += u16(key, p);
                hash ^= hash << 16;
                hash ^= key[p + 2] << 18;
                hash += hash >>> 11;
            }
            case 2 -> {
                hash += u16(key, p);
                hash ^= hash << 11;
                hash += hash >>> 17;
            }
            case 1 -> {
                hash += key[p];
                hash ^= hash << 10;
                hash += hash >>> 1;
            }
            default -> {
            }
        }
        hash ^= hash << 3;
        hash += hash >>> 5;
        hash ^= hash << 4;
        hash += hash >>> 17;
        hash ^= hash << 25;
        hash += hash >>> 6;
        return hash;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }
}
