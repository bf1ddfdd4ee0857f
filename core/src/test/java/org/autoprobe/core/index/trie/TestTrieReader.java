package org.autoprobe.core.index.trie;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A small independent reader of kmod's trie format, for tests: exact lookups and the value list. */
final class TestTrieReader {
    record Value(int priority, String value) {
    }

    private final ByteBuffer buf;

    TestTrieReader(byte[] bytes) {
        buf = ByteBuffer.wrap(bytes);
        if (buf.getInt(0) != 0xB007F457) {
            throw new IllegalArgumentException("bad magic");
        }
        if (buf.getInt(4) >>> 16 != 2) {
            throw new IllegalArgumentException("bad major version");
        }
    }

    /** Every value stored under exactly {@code key}, in file order; empty when none. */
    List<Value> values(String key) {
        int ref = buf.getInt(8);
        int i = 0;
        while (true) {
            int off = ref & 0x0FFFFFFF;
            int p = off;
            if ((ref & 0x80000000) != 0) {
                int end = p;
                while (buf.get(end) != 0) {
                    end++;
                }
                String prefix = new String(buf.array(), p, end - p, StandardCharsets.ISO_8859_1);
                if (!key.startsWith(prefix, i)) {
                    return List.of();
                }
                i += prefix.length();
                p = end + 1;
            }
            int first = 0;
            int last = -1;
            int childTable = 0;
            if ((ref & 0x20000000) != 0) {
                first = buf.get(p) & 0xFF;
                last = buf.get(p + 1) & 0xFF;
                childTable = p + 2;
                p = childTable + 4 * (last - first + 1);
            }
            if (i == key.length()) {
                List<Value> out = new ArrayList<>();
                if ((ref & 0x40000000) != 0) {
                    int count = buf.getInt(p);
                    p += 4;
                    for (int k = 0; k < count; k++) {
                        int prio = buf.getInt(p);
                        p += 4;
                        int end = p;
                        while (buf.get(end) != 0) {
                            end++;
                        }
                        out.add(new Value(prio, new String(buf.array(), p, end - p, StandardCharsets.ISO_8859_1)));
                        p = end + 1;
                    }
                }
                return out;
            }
            int ch = key.charAt(i);
            if (ch < first || ch > last) {
                return List.of();
            }
            ref = buf.getInt(childTable + 4 * (ch - first));
            if (ref == 0) {
                return List.of();
            }
            i++;
        }
    }
}
