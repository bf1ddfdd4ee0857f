package org.autoprobe.cli.conformance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a kmod {@code .bin} index (the trie format: big-endian words, magic 0xB007F457, version 2.x) into text
 * lines {@code key<TAB>priority<TAB>value}, keys in trie order and values in node order: what a lookup can see.
 * Two files with the same dump answer every lookup alike even when their bytes differ.
 */
final class IndexBinDump {
    private static final int MAGIC = 0xB007F457;
    private static final int PREFIX = 0x80000000;
    private static final int VALUES = 0x40000000;
    private static final int CHILDS = 0x20000000;
    private static final int OFFSET = 0x0FFFFFFF;

    private IndexBinDump() {
    }

    /** The dump, or a one-line description of why the file cannot be read. */
    static List<String> dump(byte[] file) {
        List<String> out = new ArrayList<>();
        try {
            ByteBuffer b = ByteBuffer.wrap(file);
            int magic = b.getInt(0);
            int version = b.getInt(4);
            if (magic != MAGIC || (version >>> 16) != 2) {
                return List.of(String.format("!bad header: magic %08x version %08x", magic, version));
            }
            walk(b, b.getInt(8), new StringBuilder(), out, 0);
        } catch (RuntimeException e) {
            out.add("!unreadable: " + e);
        }
        return out;
    }

    private static void walk(ByteBuffer b, int ref, StringBuilder key, List<String> out, int depth) {
        if (depth > 4096) {
            throw new IllegalStateException("trie deeper than 4096 (a loop?)");
        }
        int pos = ref & OFFSET;
        if (pos < 12 || pos >= b.limit()) {
            throw new IllegalStateException(String.format("node reference %08x under key '%s' points outside the file", ref, key));
        }
        int keyLen = key.length();
        if ((ref & PREFIX) != 0) {
            pos = readString(b, pos, key);
        }
        int first = 0;
        int last = -1;
        int childPos = 0;
        if ((ref & CHILDS) != 0) {
            first = b.get(pos) & 0xFF;
            last = b.get(pos + 1) & 0xFF;
            childPos = pos + 2;
            pos = childPos + 4 * (last - first + 1);
        }
        if ((ref & VALUES) != 0) {
            int count = b.getInt(pos);
            pos += 4;
            for (int i = 0; i < count; i++) {
                int priority = b.getInt(pos);
                StringBuilder v = new StringBuilder();
                pos = readString(b, pos + 4, v);
                out.add(key + "\t" + Integer.toUnsignedString(priority) + "\t" + v);
            }
        }
        for (int c = first; c <= last; c++) {
            int child = b.getInt(childPos + 4 * (c - first));
            if (child != 0) {
                key.append((char) c);
                walk(b, child, key, out, depth + 1);
                key.setLength(key.length() - 1);
            }
        }
        key.setLength(keyLen);
    }

    private static int readString(ByteBuffer b, int pos, StringBuilder into) {
        int end = pos;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] s = new byte[end - pos];
        b.get(pos, s);
        into.append(new String(s, StandardCharsets.ISO_8859_1));
        return end + 1;
    }
}
