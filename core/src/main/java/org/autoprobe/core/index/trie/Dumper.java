package org.autoprobe.core.index.trie;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Walks every key of a trie in byte order (libkmod's {@code index_mm_dump}). Single-use. */
final class Dumper {
    /** Receives one (key, value) pair; {@code key} is only valid during the call. */
    interface Sink {
        void accept(byte[] key, int keyLength, byte[] value);
    }

    private final byte[] buf;
    private final int size;
    private final String source;
    private final TrieReader.Mode mode;
    private final Sink sink;
    private byte[] key = new byte[64];
    private int keyLength;
    private int visits;

    Dumper(byte[] buf, int size, String source, TrieReader.Mode mode, Sink sink) {
        this.buf = buf;
        this.size = size;
        this.source = source;
        this.mode = mode;
        this.sink = sink;
    }

    void run(int root) throws TrieFormatException {
        if (Node.exists(root)) {
            visit(root, 1);
        }
    }

    private void visit(int ref, int depth) throws TrieFormatException {
        Node node = new Node(buf, size, source).read(ref);
        if (depth > TrieReader.MAX_DEPTH) {
            throw node.error(node.offset, "trie nested deeper than " + TrieReader.MAX_DEPTH + " nodes (a loop?)");
        }
        if (++visits > size) {
            throw node.error(node.offset, "walk meets more nodes than the file has bytes (the nodes loop)");
        }
        int pushed = node.prefixLength();
        for (int j = 0; j < pushed; j++) {
            push(node.prefixByte(j));
        }
        for (byte[] value : values(node)) {
            sink.accept(key, keyLength, value);
        }
        for (int ch = node.first; ch <= node.last; ch++) {
            int child = node.child(ch);
            if (Node.exists(child)) {
                push((byte) ch);
                visit(child, depth + 1);
                keyLength--;
            }
        }
        keyLength -= pushed;
    }

    /** The node's values in the order the reader of {@link #mode} lists them. */
    private List<byte[]> values(Node node) throws TrieFormatException {
        List<byte[]> values = new ArrayList<>(node.valueCount);
        List<Integer> priorities = new ArrayList<>(node.valueCount);
        int pos = node.valueStart;
        for (int v = 0; v < node.valueCount; v++) {
            int priority = node.priorityAt(pos);
            int end = node.endOfString(pos + 4, "value");
            byte[] b = new byte[end - pos - 4];
            System.arraycopy(buf, pos + 4, b, 0, b.length);
            int at = values.size();
            if (mode == TrieReader.Mode.FILE) {
                at = 0;
                while (at < values.size() && Integer.compareUnsigned(priorities.get(at), priority) < 0) {
                    at++;
                }
            }
            values.add(at, b);
            priorities.add(at, priority);
            pos = end + 1;
        }
        return values;
    }

    private void push(byte b) {
        if (keyLength == key.length) {
            key = Arrays.copyOf(key, keyLength * 2);
        }
        key[keyLength++] = b;
    }
}
