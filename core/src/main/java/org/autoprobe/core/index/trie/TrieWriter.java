package org.autoprobe.core.index.trie;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Builds a kmod index trie (the {@code .bin} files depmod writes) in memory and serialises it
 * in kmod 30's or kmod 34's exact layout ({@link Layout}).
 *
 * <p>Layout: big-endian u32 words. A 12-byte header (magic {@code 0xB007F457}, version
 * {@code 0x00020001}, offset of the root node), then the nodes: kmod 30 writes every node after all
 * of its children (the root last), kmod 34 every node before them (the root first, then each
 * child's subtree in character order). A node is: its prefix and a NUL when the prefix is non-empty; when it
 * has children, the first and last child character and one u32 child reference per character in
 * that range (0 where there is no child); when it has values, a u32 count and
 * {@code (u32 priority, value NUL)} pairs. A reference is the node's file offset ORed with
 * {@code 0x80000000} (has prefix), {@code 0x40000000} (has values), {@code 0x20000000} (has
 * children).
 *
 * <p>Values under one key are kept sorted by ascending priority, a value added later going
 * before values of equal priority; duplicates are kept. Keys must be 7-bit ASCII (kmod cannot
 * index anything else); values may hold any byte but NUL. Strings are taken as ISO-8859-1, one
 * char per byte. Not thread-safe.
 */
public final class TrieWriter {
    public static final int MAGIC = 0xB007F457;
    public static final int VERSION = 0x00020001;
    static final int FLAG_PREFIX = 0x80000000;
    static final int FLAG_VALUES = 0x40000000;
    static final int FLAG_CHILDREN = 0x20000000;
    static final int OFFSET_MASK = 0x0FFFFFFF;
    private static final byte[] EMPTY = new byte[0];

    /**
     * The order of the nodes in the file. Both hold the same trie, and libkmod reads both; depmod
     * writes the one of its version, and conformance is byte for byte.
     */
    public enum Layout {
        /** kmod up to 33: a node after its children, the root last. */
        KMOD_30,
        /** kmod 34 and later (kmod PR #188): a node before its children, the root first. */
        KMOD_34
    }

    private static final class Value {
        final int priority;
        final byte[] bytes;
        Value next;

        Value(int priority, byte[] bytes, Value next) {
            this.priority = priority;
            this.bytes = bytes;
            this.next = next;
        }
    }

    private static final class Node {
        byte[] prefix;
        Value values;
        /** child characters, ascending; childCount of them are used */
        byte[] chars;
        Node[] kids;
        int childCount;

        Node(byte[] prefix) {
            this.prefix = prefix;
        }

        Node child(int ch) {
            int i = find(ch);
            return i >= 0 ? kids[i] : null;
        }

        int find(int ch) {
            int lo = 0;
            int hi = childCount - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = chars[mid];
                if (c < ch) {
                    lo = mid + 1;
                } else if (c > ch) {
                    hi = mid - 1;
                } else {
                    return mid;
                }
            }
            return -(lo + 1);
        }

        void addChild(int ch, Node n) {
            int at = -(find(ch) + 1);
            if (chars == null) {
                chars = new byte[2];
                kids = new Node[2];
            } else if (childCount == chars.length) {
                int cap = Math.min(128, childCount * 2);
                chars = Arrays.copyOf(chars, cap);
                kids = Arrays.copyOf(kids, cap);
            }
            System.arraycopy(chars, at, chars, at + 1, childCount - at);
            System.arraycopy(kids, at, kids, at + 1, childCount - at);
            chars[at] = (byte) ch;
            kids[at] = n;
            childCount++;
        }
    }

    private final Node root = new Node(EMPTY);
    private int size;

    /** An empty trie. */
    public TrieWriter() {
        // the root node is made with the fields
    }

    /**
     * Adds a value under a key.
     *
     * @return true when the key already held an equal value (kmod reports such duplicates with -w)
     * @throws IllegalArgumentException when the key holds a character outside 7-bit ASCII or a NUL,
     *                                  or the value holds a NUL or a character above 0xFF
     */
    public boolean add(String key, String value, int priority) {
        byte[] k = bytes(key, true);
        byte[] v = bytes(value, false);
        Node node = root;
        int i = 0;
        while (true) {
            byte[] p = node.prefix;
            int j = 0;
            while (j < p.length) {
                if (i + j >= k.length || p[j] != k[i + j]) {
                    split(node, j);
                    break;
                }
                j++;
            }
            i += j;
            if (i == k.length) {
                size++;
                return addValue(node, v, priority);
            }
            int ch = k[i];
            Node next = node.child(ch);
            if (next == null) {
                Node leaf = new Node(Arrays.copyOfRange(k, i + 1, k.length));
                leaf.values = new Value(priority, v, null);
                node.addChild(ch, leaf);
                size++;
                return false;
            }
            node = next;
            i++;
        }
    }

    /** The number of values added. */
    int size() {
        return size;
    }

    /** Moves everything of {@code node} after prefix position {@code j} into a new child. */
    private static void split(Node node, int j) {
        byte[] p = node.prefix;
        Node moved = new Node(Arrays.copyOfRange(p, j + 1, p.length));
        moved.values = node.values;
        moved.chars = node.chars;
        moved.kids = node.kids;
        moved.childCount = node.childCount;
        node.prefix = Arrays.copyOf(p, j);
        node.values = null;
        node.chars = null;
        node.kids = null;
        node.childCount = 0;
        node.addChild(p[j], moved);
    }

    private static boolean addValue(Node node, byte[] v, int priority) {
        boolean duplicate = false;
        for (Value x = node.values; x != null; x = x.next) {
            if (Arrays.equals(x.bytes, v)) {
                duplicate = true;
                break;
            }
        }
        if (node.values == null || node.values.priority >= priority) {
            node.values = new Value(priority, v, node.values);
        } else {
            Value prev = node.values;
            while (prev.next != null && prev.next.priority < priority) {
                prev = prev.next;
            }
            prev.next = new Value(priority, v, prev.next);
        }
        return duplicate;
    }

    private static byte[] bytes(String s, boolean key) {
        int n = s.length();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c > (key ? 0x7F : 0xFF)) {
                throw new IllegalArgumentException((key ? "index key" : "index value") + " has a "
                        + (c == 0 ? "NUL" : "character 0x" + Integer.toHexString(c)) + " at " + i
                        + (key ? " (only 7-bit ASCII can be indexed)" : "") + ": " + s);
            }
            b[i] = (byte) c;
        }
        return b;
    }

    /** The serialised trie in kmod 30's layout. */
    public byte[] toBytes() {
        return toBytes(Layout.KMOD_30);
    }

    /** The serialised trie in {@code layout}. */
    public byte[] toBytes(Layout layout) {
        Out out = new Out(64 + size * 48);
        out.u32(MAGIC);
        out.u32(VERSION);
        out.u32(0);
        int rootRef;
        if (layout == Layout.KMOD_34) {
            rootRef = out.len | mask(root);
            writeRootFirst(root, out);
        } else {
            rootRef = write(root, out);
        }
        out.put32(8, rootRef);
        return Arrays.copyOf(out.buf, out.len);
    }

    /** Writes the serialised trie (kmod 30's layout) to a stream (the stream is not closed). */
    void write(OutputStream stream) throws IOException {
        stream.write(toBytes());
    }

    private static int mask(Node n) {
        return (n.prefix.length > 0 ? FLAG_PREFIX : 0) | (n.values != null ? FLAG_VALUES : 0)
                | (n.childCount > 0 ? FLAG_CHILDREN : 0);
    }

    /** The bytes of {@code n} itself (prefix, child table, values). */
    private static int ownSize(Node n) {
        int size = n.prefix.length > 0 ? n.prefix.length + 1 : 0;
        if (n.childCount > 0) {
            size += 2 + 4 * (n.chars[n.childCount - 1] - n.chars[0] + 1);
        }
        if (n.values != null) {
            size += 4;
            for (Value v = n.values; v != null; v = v.next) {
                size += 4 + v.bytes.length + 1;
            }
        }
        return size;
    }

    /** The bytes of {@code n} and all below it. */
    private static long totalSize(Node n) {
        long total = ownSize(n);
        for (int i = 0; i < n.childCount; i++) {
            total += totalSize(n.kids[i]);
        }
        return total;
    }

    /** kmod 34's layout: the node, then each child's subtree in character order. */
    private static void writeRootFirst(Node node, Out out) {
        int offset = out.len;
        long next = (long) offset + ownSize(node);
        int first = 0;
        int[] refs = null;
        if (node.childCount > 0) {
            first = node.chars[0];
            refs = new int[node.chars[node.childCount - 1] - first + 1];
            for (int i = 0; i < node.childCount; i++) {
                if (next > OFFSET_MASK) {
                    throw new IllegalStateException("index larger than 256 MiB cannot be addressed");
                }
                refs[node.chars[i] - first] = (int) next | mask(node.kids[i]);
                next += totalSize(node.kids[i]);
            }
        }
        if (node.prefix.length > 0) {
            out.bytes(node.prefix);
            out.u8(0);
        }
        if (refs != null) {
            out.u8(first);
            out.u8(first + refs.length - 1);
            for (int r : refs) {
                out.u32(r);
            }
        }
        writeValues(node, out);
        for (int i = 0; i < node.childCount; i++) {
            writeRootFirst(node.kids[i], out);
        }
    }

    private static void writeValues(Node node, Out out) {
        if (node.values != null) {
            int count = 0;
            for (Value v = node.values; v != null; v = v.next) {
                count++;
            }
            out.u32(count);
            for (Value v = node.values; v != null; v = v.next) {
                out.u32(v.priority);
                out.bytes(v.bytes);
                out.u8(0);
            }
        }
    }

    private static int write(Node node, Out out) {
        int first = 0;
        int[] refs = null;
        if (node.childCount > 0) {
            first = node.chars[0];
            int last = node.chars[node.childCount - 1];
            refs = new int[last - first + 1];
            for (int i = 0; i < node.childCount; i++) {
                refs[node.chars[i] - first] = write(node.kids[i], out);
            }
        }
        int offset = out.len;
        if (offset > OFFSET_MASK) {
            throw new IllegalStateException("index larger than 256 MiB cannot be addressed");
        }
        int ref = offset;
        if (node.prefix.length > 0) {
            out.bytes(node.prefix);
            out.u8(0);
            ref |= FLAG_PREFIX;
        }
        if (refs != null) {
            out.u8(first);
            out.u8(first + refs.length - 1);
            for (int r : refs) {
                out.u32(r);
            }
            ref |= FLAG_CHILDREN;
        }
        if (node.values != null) {
            writeValues(node, out);
            ref |= FLAG_VALUES;
        }
        return ref;
    }

    /** A growable big-endian byte buffer. */
    private static final class Out {
        byte[] buf;
        int len;

        Out(int cap) {
            buf = new byte[cap];
        }

        void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void u8(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void u32(int v) {
            ensure(4);
            put32(len, v);
            len += 4;
        }

        void put32(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }
    }
}
