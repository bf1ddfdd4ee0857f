package org.autoprobe.core.index.trie;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One wildcard search (libkmod's {@code index_mm_searchwild}): follows the key down the trie;
 * at every node, every subtree whose edge is {@code *}, {@code ?} or {@code [} holds patterns,
 * which are matched against the rest of the key. Values are merged as libkmod's add_value does.
 *
 * <p>Each thread reuses one walker ({@link #search}); its scratch arrays keep the last key and
 * node views until that thread's next search.
 */
final class WildSearch {
    /** One reusable walker per thread: a search allocates little more than its answer. */
    private static final ThreadLocal<WildSearch> WALKERS = ThreadLocal.withInitial(WildSearch::new);

    private byte[] buf;
    private int size;
    private String source;
    private TrieReader.Mode mode;
    private byte[] key;
    private int visits;
    /** The pattern read so far below a wildcard edge, matched as it grows. */
    private final PatternState pattern = new PatternState();
    /** Nodes reused per depth of the pattern walk. */
    private Node[] nodes = new Node[16];
    /** Per depth, the 256-bit set of child bytes worth following (see {@link PatternState#nextBytes}). */
    private long[] allowed = new long[64];
    private List<TrieReader.Value> out;

    private WildSearch() {
    }

    /** Searches {@code key} in the trie held by {@code buf}; the answer is a new list. */
    static List<TrieReader.Value> search(byte[] buf, int size, String source, TrieReader.Mode mode, byte[] key,
            int root) throws TrieFormatException {
        WildSearch w = WALKERS.get();
        w.buf = buf;
        w.size = size;
        w.source = source;
        w.mode = mode;
        w.key = key;
        w.visits = 0;
        w.out = new ArrayList<>(4);
        w.pattern.init(key);
        try {
            return w.run(root);
        } finally {
            w.buf = null;
            w.key = null;
            w.out = null;
        }
    }

    List<TrieReader.Value> run(int root) throws TrieFormatException {
        Node node = node(0);
        int ref = root;
        int i = 0;
        while (Node.exists(ref)) {
            node.read(ref);
            int len = node.prefixLength();
            for (int j = 0; j < len; j++) {
                byte ch = node.prefixByte(j);
                if (ch == '*' || ch == '?' || ch == '[') {
                    pattern.reset(i + j);
                    patterns(node, j, 1);
                    return out;
                }
                if (i + j >= key.length || ch != key[i + j]) {
                    return out;
                }
            }
            i += len;
            wildChild(node, '*', i);
            wildChild(node, '?', i);
            wildChild(node, '[', i);
            if (i == key.length) {
                addValues(node);
                return out;
            }
            ref = node.child(key[i]);
            i++;
        }
        return out;
    }

    private void wildChild(Node parent, char ch, int subkey) throws TrieFormatException {
        int ref = parent.child(ch);
        if (Node.exists(ref)) {
            pattern.reset(subkey);
            if (pattern.push((byte) ch)) {
                patterns(node(1).read(ref), 0, 1);
            }
        }
    }

    /**
     * Every key below {@code node} (whose prefix from {@code j} on is part of the pattern):
     * children first, in character order, then the node's own values if its pattern matches.
     * A subtree no pattern of which can match is skipped: that changes nothing but time.
     */
    private void patterns(Node node, int j, int depth) throws TrieFormatException {
        if (depth > TrieReader.MAX_DEPTH) {
            throw node.error(node.offset, "trie nested deeper than " + TrieReader.MAX_DEPTH + " nodes (a loop?)");
        }
        if (++visits > size) {
            throw node.error(node.offset, "walk meets more nodes than the file has bytes (the nodes loop)");
        }
        int pushed = 0;
        for (int len = node.prefixLength(); j < len; j++) {
            pushed++;
            if (!pattern.push(node.prefixByte(j))) {
                pattern.pop(pushed);
                return;
            }
        }
        if (node.first <= node.last) {
            Node child = node(depth + 1);
            int off = depth * 4;
            if (allowed.length < off + 4) {
                allowed = Arrays.copyOf(allowed, Math.max(off + 4, allowed.length * 2));
            }
            pattern.nextBytes(allowed, off);
            for (int word = node.first >>> 6; word <= node.last >>> 6; word++) {
                long bits = allowed[off + word];
                if (word == node.first >>> 6) {
                    bits &= -1L << node.first;
                }
                if (word == node.last >>> 6 && (node.last & 63) != 63) {
                    bits &= (1L << (node.last + 1)) - 1;
                }
                while (bits != 0) {
                    int ch = (word << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    int ref = node.child(ch);
                    if (!Node.exists(ref)) {
                        continue;
                    }
                    if (pattern.push((byte) ch)) {
                        patterns(child.read(ref), 0, depth + 1);
                    }
                    pattern.pop(1);
                }
            }
        }
        if (node.valueCount > 0 && pattern.matches()) {
            addValues(node);
        }
        pattern.pop(pushed);
    }

    /** libkmod's add_value for each of the node's values: before the first of equal or higher priority. */
    private void addValues(Node node) throws TrieFormatException {
        int pos = node.valueStart;
        int count = node.valueCount;
        if (mode == TrieReader.Mode.MMAP) {
            for (int v = 0; v < count; v++) {
                int priority = node.priorityAt(pos);
                int end = node.endOfString(pos + 4, "value");
                insert(out, new TrieReader.Value(priority, string(pos + 4, end)));
                pos = end + 1;
            }
        } else {
            List<TrieReader.Value> nodeList = new ArrayList<>(count);
            for (int v = 0; v < count; v++) {
                int priority = node.priorityAt(pos);
                int end = node.endOfString(pos + 4, "value");
                insert(nodeList, new TrieReader.Value(priority, string(pos + 4, end)));
                pos = end + 1;
            }
            for (TrieReader.Value value : nodeList) {
                insert(out, value);
            }
        }
    }

    static void insert(List<TrieReader.Value> list, TrieReader.Value value) {
        int at = 0;
        int n = list.size();
        while (at < n && Integer.compareUnsigned(list.get(at).priority(), value.priority()) < 0) {
            at++;
        }
        list.add(at, value);
    }

    private String string(int start, int end) {
        return org.autoprobe.core.text.RawText.decode(buf, start, end);
    }

    private Node node(int depth) {
        if (depth >= nodes.length) {
            nodes = Arrays.copyOf(nodes, Math.max(depth + 1, nodes.length * 2));
        }
        Node n = nodes[depth];
        if (n == null) {
            n = new Node(buf, size, source);
            nodes[depth] = n;
        }
        return n.bind(buf, size, source);
    }
}
