package org.autoprobe.core.index.trie;

/**
 * One trie node, read in place from the file's bytes with every bound checked. Mutable and
 * reused by a walk: {@link #read} points it at another node.
 */
final class Node {
    static final int PREFIX = 0x80000000;
    static final int VALUES = 0x40000000;
    static final int CHILDREN = 0x20000000;
    static final int OFFSET_MASK = 0x0FFFFFFF;
    static final int HEADER_SIZE = 12;

    private byte[] buf;
    private int size;
    private String source;

    int offset;
    int prefixStart;
    int prefixEnd;
    /** Child characters {@code first..last}; none when {@code first > last}. */
    int first;
    int last;
    private int childTable;
    int valueCount;
    int valueStart;

    Node(byte[] buf, int size, String source) {
        bind(buf, size, source);
    }

    /** Makes this view read another file's bytes. */
    Node bind(byte[] newBuf, int newSize, String newSource) {
        this.buf = newBuf;
        this.size = newSize;
        this.source = newSource;
        return this;
    }

    /** Whether {@code ref} points at a node at all (its offset part is not 0). */
    static boolean exists(int ref) {
        return (ref & OFFSET_MASK) != 0;
    }

    /**
     * Points this view at the node {@code ref} (which must exist). A node without prefix, children
     * and values takes no bytes: depmod writes an empty index as such a root at the very end.
     */
    Node read(int ref) throws TrieFormatException {
        int off = ref & OFFSET_MASK;
        if (off < HEADER_SIZE || off > size) {
            throw error(off, "node offset " + off + " lies outside the file's " + size + " bytes");
        }
        offset = off;
        int p = off;
        if ((ref & PREFIX) != 0) {
            prefixStart = p;
            p = endOfString(p, "node prefix");
            prefixEnd = p++;
        } else {
            prefixStart = p;
            prefixEnd = p;
        }
        if ((ref & CHILDREN) != 0) {
            if (p + 2 > size) {
                throw error(p, "child range runs past the end of the file");
            }
            first = buf[p] & 0xff;
            last = buf[p + 1] & 0xff;
            if (last < first) {
                throw error(p, "child range '" + (char) first + "'..'" + (char) last + "' is empty");
            }
            childTable = p + 2;
            p = childTable + 4 * (last - first + 1);
            if (p > size) {
                throw error(childTable, "child table runs past the end of the file");
            }
        } else {
            first = 1;
            last = 0;
        }
        if ((ref & VALUES) != 0) {
            if (p + 4 > size) {
                throw error(p, "value count runs past the end of the file");
            }
            int count = intAt(buf, p);
            if (count < 0 || count > (size - p - 4) / 5) {
                throw error(p, "value count " + Integer.toUnsignedString(count) + " does not fit in the file");
            }
            valueCount = count;
            valueStart = p + 4;
        } else {
            valueCount = 0;
            valueStart = p;
        }
        return this;
    }

    int prefixLength() {
        return prefixEnd - prefixStart;
    }

    byte prefixByte(int j) {
        return buf[prefixStart + j];
    }

    /** The reference of the child for character {@code ch} (a signed byte value), or 0. */
    int child(int ch) {
        if (ch < first || ch > last) {
            return 0;
        }
        return intAt(buf, childTable + 4 * (ch - first));
    }

    /** The priority word of the value at {@code pos}. */
    int priorityAt(int pos) throws TrieFormatException {
        if (pos + 4 > size) {
            throw error(pos, "value runs past the end of the file");
        }
        return intAt(buf, pos);
    }

    /** The offset of the NUL that ends the string starting at {@code p}. */
    int endOfString(int p, String what) throws TrieFormatException {
        int q = p;
        while (q < size && buf[q] != 0) {
            q++;
        }
        if (q >= size) {
            throw error(p, what + " runs past the end of the file");
        }
        return q;
    }

    /** The big-endian word at {@code p} (the caller has checked the bounds). */
    static int intAt(byte[] b, int p) {
        return (b[p] << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    TrieFormatException error(long at, String problem) {
        return new TrieFormatException(source, at, problem);
    }
}
