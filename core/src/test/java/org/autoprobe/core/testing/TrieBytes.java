package org.autoprobe.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.autoprobe.core.index.trie.TrieFormatException;
import org.autoprobe.core.index.trie.TrieReader;

/**
 * The tests' one writer of kmod index ({@code .bin}) files: assembles the bytes by hand, in kmod 30's layout
 * (children before parents, root last), independently of the production TrieWriter, so that the reader is
 * tested against bytes it did not write. Keys map to values in the order given (the test decides the stored
 * order).
 */
public final class TrieBytes {
    private final Map<String, List<TrieReader.Value>> entries = new TreeMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Charset charset;

    private TrieBytes(Charset charset) {
        this.charset = charset;
    }

    public static TrieBytes create() {
        return new TrieBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of an index of (key, priority, value) triples, stored in the order given. */
    public static byte[] of(Object... keyPriorityValue) {
        TrieBytes bytes = create();
        for (int i = 0; i < keyPriorityValue.length; i += 3) {
            bytes.add((String) keyPriorityValue[i], (Integer) keyPriorityValue[i + 1], (String) keyPriorityValue[i + 2]);
        }
        return bytes.build();
    }

    /**
     * Writes an index file of {@code key, value} pairs, each pair's priority its position. As depmod's
     * files (and the production TrieWriter) hold them, a character is one byte (up to 0xFF): a test
     * spells raw bytes as such characters.
     */
    public static void write(Path file, String... keyValuePairs) throws IOException {
        TrieBytes bytes = new TrieBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            for (String text : List.of(keyValuePairs[i], keyValuePairs[i + 1])) {
                if (!text.chars().allMatch(c -> c <= 0xFF)) {
                    throw new IllegalArgumentException("a character above 0xFF in " + text);
                }
            }
            bytes.add(keyValuePairs[i], i / 2, keyValuePairs[i + 1]);
        }
        Files.write(file, bytes.build());
    }

    /** Stores {@code value} under {@code key} after the values already there. */
    public TrieBytes add(String key, int priority, String value) {
        entries.computeIfAbsent(key, k -> new ArrayList<>()).add(new TrieReader.Value(priority, value));
        return this;
    }

    public byte[] build() {
        out.reset();
        word(0xB007F457);
        word(0x00020001);
        word(0);
        int root = entries.isEmpty() ? writeNode(new LinkedHashMap<>()) : writeNode(entries);
        byte[] bytes = out.toByteArray();
        bytes[8] = (byte) (root >>> 24);
        bytes[9] = (byte) (root >>> 16);
        bytes[10] = (byte) (root >>> 8);
        bytes[11] = (byte) root;
        return bytes;
    }

    public TrieReader reader() {
        try {
            return TrieReader.wrap(java.nio.ByteBuffer.wrap(build()), "test.bin");
        } catch (TrieFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes the node for keys that all share what led here; returns its reference. */
    private int writeNode(Map<String, List<TrieReader.Value>> suffixes) {
        String prefix = commonPrefix(suffixes.keySet());
        List<TrieReader.Value> values = List.of();
        TreeMap<Character, Map<String, List<TrieReader.Value>>> byChar = new TreeMap<>();
        for (Map.Entry<String, List<TrieReader.Value>> e : suffixes.entrySet()) {
            String rest = e.getKey().substring(prefix.length());
            if (rest.isEmpty()) {
                values = e.getValue();
            } else {
                byChar.computeIfAbsent(rest.charAt(0), c -> new TreeMap<>()).put(rest.substring(1), e.getValue());
            }
        }
        Map<Character, Integer> children = new TreeMap<>();
        for (Map.Entry<Character, Map<String, List<TrieReader.Value>>> e : byChar.entrySet()) {
            children.put(e.getKey(), writeNode(e.getValue()));
        }
        int offset = out.size();
        int flags = 0;
        if (!prefix.isEmpty()) {
            flags |= 0x80000000;
            bytes(prefix.getBytes(charset));
            out.write(0);
        }
        if (!children.isEmpty()) {
            flags |= 0x20000000;
            char first = byChar.firstKey();
            char last = byChar.lastKey();
            out.write(first);
            out.write(last);
            for (char c = first; c <= last; c++) {
                word(children.getOrDefault(c, 0));
            }
        }
        if (!values.isEmpty()) {
            flags |= 0x40000000;
            word(values.size());
            for (TrieReader.Value v : values) {
                word(v.priority());
                bytes(v.value().getBytes(charset));
                out.write(0);
            }
        }
        return flags | offset;
    }

    private static String commonPrefix(Iterable<String> keys) {
        String common = null;
        for (String k : keys) {
            if (common == null) {
                common = k;
            } else {
                int n = 0;
                while (n < common.length() && n < k.length() && common.charAt(n) == k.charAt(n)) {
                    n++;
                }
                common = common.substring(0, n);
            }
        }
        return common == null ? "" : common;
    }

    private void word(int w) {
        out.write(w >>> 24);
        out.write(w >>> 16);
        out.write(w >>> 8);
        out.write(w);
    }

    private void bytes(byte[] b) {
        out.write(b, 0, b.length);
    }
}
