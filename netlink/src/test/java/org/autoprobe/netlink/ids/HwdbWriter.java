package org.autoprobe.netlink.ids;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a small hwdb.bin (format 2) for tests: a trie of the patterns, runs of single children
 * without values folded into prefixes, as the real tool folds them.
 */
final class HwdbWriter {
    private static final class Node {
        final TreeMap<Character, Node> children = new TreeMap<>();
        final List<String[]> values = new ArrayList<>(); // key (with its leading space), value, line
    }

    private final Node root = new Node();
    private int line;

    /** {@code pattern} gives {@code KEY=value} (the key without its leading space). */
    HwdbWriter add(String pattern, String key, String value) {
        Node n = root;
        for (char c : pattern.toCharArray()) {
            n = n.children.computeIfAbsent(c, k -> new Node());
        }
        n.values.add(new String[] {" " + key, value, Integer.toString(++line)});
        return this;
    }

    byte[] build() {
        Map<String, Long> strings = new LinkedHashMap<>();
        ByteArrayOutputStream stringBytes = new ByteArrayOutputStream();
        stringBytes.write(0); // offset 0 of the strings area is never used for a string
        List<byte[]> nodes = new ArrayList<>();
        long[] size = {80};
        // offsets are known only after layout: lay out children first (post-order), root last
        class Layout {
            long place(Node n, String prefix) {
                // fold single-child chains without values
                StringBuilder p = new StringBuilder(prefix);
                while (n != root && n.values.isEmpty() && n.children.size() == 1) {
                    Map.Entry<Character, Node> only = n.children.firstEntry();
                    p.append(only.getKey());
                    n = only.getValue();
                }
                List<long[]> kids = new ArrayList<>();
                for (Map.Entry<Character, Node> e : n.children.entrySet()) {
                    kids.add(new long[] {e.getKey(), place(e.getValue(), "")});
                }
                ByteBuffer b = ByteBuffer.allocate(24 + 16 * kids.size() + 32 * n.values.size()).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(p.length() == 0 ? 0 : string(p.toString()));
                b.put((byte) kids.size()).put(new byte[7]).putLong(n.values.size());
                for (long[] k : kids) {
                    b.put((byte) k[0]).put(new byte[7]).putLong(k[1]);
                }
                for (String[] v : n.values) {
                    b.putLong(string(v[0])).putLong(string(v[1])).putLong(string("test.hwdb"))
                            .putInt(Integer.parseInt(v[2])).putShort((short) 0).putShort((short) 0);
                }
                long off = size[0];
                nodes.add(b.array());
                size[0] += b.capacity();
                return off;
            }

            long string(String s) {
                return strings.computeIfAbsent(s, k -> {
                    long at = -1 - stringBytes.size(); // fixed up below: strings follow the nodes
                    byte[] bytes = k.getBytes(StandardCharsets.UTF_8);
                    stringBytes.write(bytes, 0, bytes.length);
                    stringBytes.write(0);
                    return at;
                });
            }
        }
        // two passes: first to learn the nodes' total size, then with string offsets after them
        Layout first = new Layout();
        first.place(root, "");
        long nodesEnd = size[0];
        nodes.clear();
        strings.clear();
        stringBytes.reset();
        stringBytes.write(0);
        size[0] = 80;
        Layout second = new Layout() {
            @Override
            long string(String s) {
                return nodesEnd - 1 - super.string(s);
            }
        };
        long rootOff = second.place(root, "");
        ByteBuffer out = ByteBuffer.allocate((int) (nodesEnd + stringBytes.size())).order(ByteOrder.LITTLE_ENDIAN);
        out.put("KSLPHHRH".getBytes(StandardCharsets.US_ASCII)).putLong(252).putLong(out.capacity()).putLong(80)
                .putLong(24).putLong(16).putLong(32).putLong(rootOff).putLong(nodesEnd - 80).putLong(stringBytes.size());
        out.position(80);
        for (byte[] n : nodes) {
            out.put(n);
        }
        out.put(stringBytes.toByteArray());
        return out.array();
    }
}
