package org.autoprobe.core.index.trie;

/** Test helper for other packages: the bytes of a small hand-assembled kmod index. */
public final class TrieTestFiles {
    private TrieTestFiles() {
    }

    /** Triples of (key, priority, value), stored in the order given. */
    public static byte[] of(Object... keyPriorityValue) {
        TrieBytes bytes = TrieBytes.create();
        for (int i = 0; i < keyPriorityValue.length; i += 3) {
            bytes.add((String) keyPriorityValue[i], (Integer) keyPriorityValue[i + 1], (String) keyPriorityValue[i + 2]);
        }
        return bytes.build();
    }
}
