package org.autoprobe.core.index.trie;

import java.io.IOException;

/** A kmod index file ({@code modules.*.bin}) that is not well formed: names the file, the offset and the problem. */
public final class TrieFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final long offset;
    private final String problem;

    TrieFormatException(String source, long offset, String problem) {
        super(source + ": at offset " + offset + " (0x" + Long.toHexString(offset) + "): " + problem);
        this.source = source;
        this.offset = offset;
        this.problem = problem;
    }

    /** The file (or other source) that was read. */
    public String source() {
        return source;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }

    /** What is wrong, without file and offset. */
    String problem() {
        return problem;
    }
}
