package org.autoprobe.netlink.ids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autoprobe.core.match.Glob;

/**
 * udev's compiled hardware database ({@code hwdb.bin}, made by {@code systemd-hwdb update}), read
 * for the properties a MODALIAS has there ({@code ID_VENDOR_FROM_DATABASE},
 * {@code ID_MODEL_FROM_DATABASE}, ...), as {@code systemd-hwdb query} answers.
 *
 * <p>The file is a trie over the match patterns: a 80-byte header ({@code KSLPHHRH}, sizes, the
 * root node's offset), nodes (a prefix string, child entries by next character, value entries),
 * and NUL-terminated strings. A lookup follows the string's characters exactly and, at every
 * node, also every child that starts a wildcard ({@code *}, {@code ?}, {@code [}), whose whole
 * subtree is then matched as patterns (fnmatch) against the rest of the string. Only keys that
 * start with a space are properties (the space is dropped). When two patterns give one key, the
 * entry from the higher file priority, then the later line wins (format 2); in format 1 the one
 * found last.
 *
 * <p>The file is not trusted: every offset is checked against the file, the walk is bounded, and
 * a file that is not a database, or is cut or corrupt, gives {@link IOException} at
 * {@link #open}, or no properties for the lookup that met the damage.
 */
final class Hwdb {
    private static final byte[] SIGNATURE = "KSLPHHRH".getBytes(StandardCharsets.US_ASCII);
    /** At most this many nodes visited by one lookup (the real database needs a few thousand). */
    private static final int MAX_STEPS = 1_000_000;
    private static final int MAX_DEPTH = 4096;

    private final ByteBuffer buf;
    private final long nodeSize;
    private final long childSize;
    private final long valueSize;
    private final long root;

    private Hwdb(ByteBuffer buf, long nodeSize, long childSize, long valueSize, long root) {
        this.buf = buf;
        this.nodeSize = nodeSize;
        this.childSize = childSize;
        this.valueSize = valueSize;
        this.root = root;
    }

    /** The databases udev reads, in its order: {@code /etc/udev/hwdb.bin}, then the one in {@code /usr/lib/udev}. */
    static final java.util.List<Path> DEFAULT_PATHS = java.util.List.of(Path.of("/etc/udev/hwdb.bin"),
            Path.of("/usr/lib/udev/hwdb.bin"), Path.of("/lib/udev/hwdb.bin"));

    /** Maps {@code file} and checks its header. */
    static Hwdb open(Path file) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 80 || size > Integer.MAX_VALUE) {
                throw new IOException(file + ": not a hwdb.bin (" + size + " bytes)");
            }
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (b.get(i) != SIGNATURE[i]) {
                throw new IOException(file + ": not a hwdb.bin (no KSLPHHRH signature)");
            }
        }
        long fileSize = b.getLong(16);
        long headerSize = b.getLong(24);
        long nodeSize = b.getLong(32);
        long childSize = b.getLong(40);
        long valueSize = b.getLong(48);
        long root = b.getLong(56);
        if (fileSize != b.capacity()) {
            throw new IOException(file + ": cut or grown: the header says " + fileSize + " bytes, the file has " + b.capacity());
        }
        if (headerSize < 80 || nodeSize < 24 || childSize < 16 || (valueSize != 16 && valueSize < 32)
                || root < headerSize || root >= fileSize) {
            throw new IOException(file + ": not a hwdb.bin this reader knows (header " + headerSize + ", node " + nodeSize
                    + ", child " + childSize + ", value " + valueSize + " bytes)");
        }
        return new Hwdb(b, nodeSize, childSize, valueSize, root);
    }

    /** The properties the database gives {@code modalias}, in the order first found; empty for none or damage. */
    Map<String, String> lookup(String modalias) {
        Search s = new Search(modalias);
        try {
            s.walk(root, 0, 0);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | StackOverflowError e) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        s.found.forEach((k, v) -> out.put(k, v.value));
        return out;
    }

    private record Found(String value, long priority, long line) {
    }

    /** One lookup's state. */
    private final class Search {
        private final String text;
        private final Map<String, Found> found = new LinkedHashMap<>();
        private int steps;

        Search(String text) {
            this.text = text;
        }

        private void step() {
            if (++steps > MAX_STEPS) {
                throw new IllegalArgumentException("walk too long");
            }
        }

        /** Exact descent from {@code node}, {@code i} characters of the text matched so far. */
        void walk(long node, int i, int depth) {
            while (node != 0) {
                step();
                check(node, nodeSize);
                String prefix = prefix(node);
                for (int p = 0; p < prefix.length(); p++) {
                    char c = prefix.charAt(p);
                    if (c == '*' || c == '?' || c == '[') {
                        fnmatchSubtree(node, p, new StringBuilder(), i + p, depth + 1);
                        return;
                    }
                    if (i + p >= text.length() || text.charAt(i + p) != c) {
                        return;
                    }
                }
                i += prefix.length();
                for (char w : new char[] {'*', '?', '['}) {
                    long child = child(node, w);
                    if (child != 0) {
                        StringBuilder pattern = new StringBuilder().append(w);
                        fnmatchSubtree(child, 0, pattern, i, depth + 1);
                    }
                }
                if (i == text.length()) {
                    values(node, null, 0);
                    return;
                }
                char next = text.charAt(i);
                node = next > 0xff ? 0 : child(node, next);
                i++;
            }
        }

        /** Every key below {@code node} (its prefix from {@code p}) matched as a pattern against the text from {@code from}. */
        private void fnmatchSubtree(long node, int p, StringBuilder pattern, int from, int depth) {
            step();
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("too deep");
            }
            check(node, nodeSize);
            int mark = pattern.length();
            String prefix = prefix(node);
            pattern.append(prefix, Math.min(p, prefix.length()), prefix.length());
            int children = Byte.toUnsignedInt(buf.get(at(node) + 8));
            for (int k = 0; k < children; k++) {
                long entry = node + nodeSize + k * childSize;
                check(entry, childSize);
                pattern.append((char) Byte.toUnsignedInt(buf.get(at(entry))));
                fnmatchSubtree(buf.getLong(at(entry) + 8), 0, pattern, from, depth + 1);
                pattern.setLength(pattern.length() - 1);
            }
            values(node, pattern, from);
            pattern.setLength(mark);
        }

        /** The node's values, each taken when {@code pattern} (null: exact) matches the text from {@code from}. */
        private void values(long node, StringBuilder pattern, int from) {
            long count = buf.getLong(at(node) + 16);
            if (count == 0) {
                return;
            }
            if (pattern != null && !Glob.matches(pattern.toString(), text.substring(from))) {
                return;
            }
            int children = Byte.toUnsignedInt(buf.get(at(node) + 8));
            long first = node + nodeSize + children * childSize;
            if (count < 0 || count > buf.capacity() / valueSize) {
                throw new IllegalArgumentException("value count " + count);
            }
            for (long n = 0; n < count; n++) {
                long v = first + n * valueSize;
                check(v, valueSize);
                String key = string(buf.getLong(at(v)));
                if (key.isEmpty() || key.charAt(0) != ' ') {
                    continue;
                }
                String value = string(buf.getLong(at(v) + 8));
                long priority = valueSize >= 32 ? Short.toUnsignedInt(buf.getShort(at(v) + 28)) : 0;
                long line = valueSize >= 32 ? Integer.toUnsignedLong(buf.getInt(at(v) + 24)) : Long.MAX_VALUE;
                Found old = found.get(key.substring(1));
                if (old == null || valueSize < 32 || old.priority < priority
                        || (old.priority == priority && old.line <= line)) {
                    found.put(key.substring(1), new Found(value, priority, line));
                }
            }
        }

        /** The child of {@code node} for character {@code c} (children are sorted by character), or 0. */
        private long child(long node, char c) {
            int children = Byte.toUnsignedInt(buf.get(at(node) + 8));
            int lo = 0;
            int hi = children - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long entry = node + nodeSize + mid * childSize;
                check(entry, childSize);
                int ch = Byte.toUnsignedInt(buf.get(at(entry)));
                if (ch == c) {
                    return buf.getLong(at(entry) + 8);
                } else if (ch < c) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return 0;
        }
    }

    /** A node's prefix; offset 0 means none. */
    private String prefix(long node) {
        long off = buf.getLong(at(node));
        return off == 0 ? "" : string(off);
    }

    private int at(long off) {
        if (off < 0 || off >= buf.capacity()) {
            throw new IndexOutOfBoundsException("offset " + off);
        }
        return (int) off;
    }

    private void check(long off, long len) {
        if (off < 0 || len < 0 || off > buf.capacity() - len) {
            throw new IndexOutOfBoundsException("record at " + off);
        }
    }

    /** The NUL-terminated string at {@code off} (bytes as ISO-8859-1 for matching, then UTF-8 for values). */
    private String string(long off) {
        int start = at(off);
        int end = start;
        int cap = buf.capacity();
        while (end < cap && buf.get(end) != 0) {
            end++;
        }
        if (end == cap) {
            throw new IndexOutOfBoundsException("string at " + off + " has no end");
        }
        byte[] bytes = new byte[end - start];
        buf.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
