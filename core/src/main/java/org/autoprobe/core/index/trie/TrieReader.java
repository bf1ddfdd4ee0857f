package org.autoprobe.core.index.trie;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.autoprobe.core.text.RawText;

/**
 * A kmod index file ({@code modules.*.bin}), mapped read-only and searched in place the way
 * libkmod searches it (from a copy of the mapping: see {@link #open}).
 *
 * <p>Format (kmod 30): big-endian words; a header of magic {@code 0xB007F457}, version (major
 * must be 2) and root node reference; every node reference carries flags for an optional
 * prefix, children and values, and a 28-bit offset. Keys and values are strings; they are
 * converted as UTF-8 and a key ends at its first NUL, as the C string libkmod gets would.
 *
 * <p>Searches never throw for an absent key. A node that points outside the file or runs past
 * its end makes them throw {@link UncheckedIOException} wrapping a {@link TrieFormatException}
 * that names the file and the offset. Instances are immutable and safe to share between threads.
 */
public final class TrieReader {
    /**
     * One value stored under a key, with its priority (the module's position in depmod's order;
     * an unsigned 32-bit number on disk, compared as such).
     */
    public record Value(int priority, String value) {
    }

    /**
     * libkmod holds two readers of this one format and they list the equal-priority values of one
     * node in opposite orders. {@code kmod_load_resources} maps every index when it can (modprobe,
     * udev): that is {@link #MMAP}. When one of dep, alias, symbols or builtin is missing or bad,
     * libkmod drops the maps and reads each file with its stream reader: {@link #FILE}.
     */
    public enum Mode {
        /** libkmod's {@code index_mm_*}: a node's values in stored order. */
        MMAP,
        /** libkmod's {@code index_*}: a node's values re-sorted, later ones first among equal priorities. */
        FILE
    }

    static final int MAGIC = 0xB007F457;
    static final int MAJOR_VERSION = 2;
    /** Deeper than any real key is long: a deeper walk means the nodes loop. */
    static final int MAX_DEPTH = 4096;
    /** Node references hold 28-bit offsets: no index can be larger. */
    static final long MAX_FILE_SIZE = Node.OFFSET_MASK + 1L;

    private final Bytes bytes;
    private final String source;
    private final int root;
    private final Mode mode;

    private TrieReader(Bytes bytes, String source, int root, Mode mode) {
        this.bytes = bytes;
        this.source = source;
        this.root = root;
        this.mode = mode;
    }

    /**
     * Maps {@code file} read-only and checks its header. The mapping is copied into an array on the
     * first search: plain array reads run many times faster than {@code ByteBuffer} accesses in
     * the interpreter and under C1, where a one-shot command does most of its lookups
     * (docs/PERFORMANCE.md), and an index no search asks for (often {@code modules.symbols.bin})
     * is never read. The mapping keeps the file that was opened, even when depmod renames a new
     * one into place before that first search.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws TrieFormatException when it is too short, too large, has a bad magic or another major version
     */
    public static TrieReader open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length < Node.HEADER_SIZE) {
                throw new TrieFormatException(file.toString(), 0,
                        "file has " + length + " bytes, shorter than the 12-byte index header");
            }
            if (length > MAX_FILE_SIZE) {
                throw new TrieFormatException(file.toString(), 0, "file of " + length + " bytes is too large"
                        + " (node offsets have 28 bits: at most " + MAX_FILE_SIZE + ")");
            }
            ByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
            byte[] header = new byte[Node.HEADER_SIZE];
            map.get(0, header);
            return new TrieReader(new Bytes(map), file.toString(), checkHeader(header, file.toString()), Mode.MMAP);
        }
    }

    /** Reads an index held in memory, e.g. one just written; {@code source} names it in errors. */
    public static TrieReader wrap(ByteBuffer bytes, String source) throws TrieFormatException {
        ByteBuffer b = bytes.slice();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        if (copy.length < Node.HEADER_SIZE) {
            throw new TrieFormatException(source, 0,
                    "only " + copy.length + " bytes, shorter than the 12-byte index header");
        }
        return new TrieReader(new Bytes(copy), source, checkHeader(copy, source), Mode.MMAP);
    }

    /** The root reference, once magic and version are right. */
    private static int checkHeader(byte[] b, String source) throws TrieFormatException {
        int magic = Node.intAt(b, 0);
        if (magic != MAGIC) {
            throw new TrieFormatException(source, 0, String.format(
                    "bad magic 0x%08X (a kmod index starts with 0x%08X)", magic, MAGIC));
        }
        int version = Node.intAt(b, 4);
        if (version >>> 16 != MAJOR_VERSION) {
            throw new TrieFormatException(source, 4, String.format(
                    "index format version %d.%d, expected major version %d", version >>> 16, version & 0xffff,
                    MAJOR_VERSION));
        }
        return Node.intAt(b, 8);
    }

    /** An index's bytes: a mapping until the first search copies it into an array, shared by every mode. */
    private static final class Bytes {
        private ByteBuffer map;
        private volatile byte[] array;

        Bytes(ByteBuffer map) {
            this.map = map;
        }

        Bytes(byte[] array) {
            this.array = array;
        }

        byte[] get() {
            byte[] a = array;
            if (a == null) {
                synchronized (this) {
                    a = array;
                    if (a == null) {
                        a = new byte[map.capacity()];
                        map.get(0, a);
                        array = a;
                        map = null;
                    }
                }
            }
            return a;
        }
    }

    /** This index read with the given libkmod reader's ordering (the bytes are shared). */
    public TrieReader withMode(Mode newMode) {
        return newMode == mode ? this : new TrieReader(bytes, source, root, newMode);
    }

    public Mode mode() {
        return mode;
    }

    /** The file (or other source) this index was read from. */
    String source() {
        return source;
    }

    /**
     * The value stored under exactly {@code key}, as libkmod's {@code index_mm_search}: the first
     * one stored (in {@link Mode#FILE}: the lowest priority, the last stored among equals).
     */
    public Optional<String> search(String key) {
        byte[] k = keyBytes(key);
        try {
            byte[] buf = bytes.get();
            Node node = new Node(buf, buf.length, source);
            int ref = root;
            int i = 0;
            while (Node.exists(ref)) {
                node.read(ref);
                int len = node.prefixLength();
                for (int j = 0; j < len; j++) {
                    if (i + j >= k.length || node.prefixByte(j) != k[i + j]) {
                        return Optional.empty();
                    }
                }
                i += len;
                if (i == k.length) {
                    return firstValue(node);
                }
                ref = node.child(k[i]);
                i++;
            }
            return Optional.empty();
        } catch (TrieFormatException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The values of every key that, read as an fnmatch pattern, matches {@code key}, as libkmod's
     * {@code index_mm_searchwild}: ascending priority; among equal priorities, values found later
     * in the walk come first. A value appears once per key that matched.
     */
    public List<Value> searchWild(String key) {
        try {
            byte[] buf = bytes.get();
            return WildSearch.search(buf, buf.length, source, mode, keyBytes(key), root);
        } catch (TrieFormatException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every (key, value) pair in the order {@code kmod_dump_index} prints them: keys in byte order,
     * a key's values in its node's order.
     */
    public void forEach(BiConsumer<String, String> action) {
        try {
            byte[] buf = bytes.get();
            new Dumper(buf, buf.length, source, mode, (key, keyLength, value) ->
                    action.accept(RawText.decode(key, 0, keyLength), RawText.decode(value))).run(root);
        } catch (TrieFormatException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code linePrefix key value\n} for every pair, byte for byte what
     * {@code kmod_dump_index} writes ({@code modprobe -c} uses the prefix {@code "alias "} for
     * the alias and symbols indexes).
     */
    public void dump(OutputStream out, String linePrefix) throws IOException {
        byte[] prefix = RawText.encode(linePrefix);
        try {
            byte[] buf = bytes.get();
            new Dumper(buf, buf.length, source, mode, (key, keyLength, value) -> {
                try {
                    out.write(prefix);
                    out.write(key, 0, keyLength);
                    out.write(' ');
                    out.write(value);
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).run(root);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private Optional<String> firstValue(Node node) throws TrieFormatException {
        if (node.valueCount == 0) {
            return Optional.empty();
        }
        int pos = node.valueStart;
        int bestStart = -1;
        int bestEnd = -1;
        long bestPriority = Long.MAX_VALUE;
        for (int v = 0; v < node.valueCount; v++) {
            int priority = node.priorityAt(pos);
            int start = pos + 4;
            int end = node.endOfString(start, "value");
            if (mode == Mode.MMAP ? v == 0 : Integer.toUnsignedLong(priority) <= bestPriority) {
                bestPriority = Integer.toUnsignedLong(priority);
                bestStart = start;
                bestEnd = end;
            }
            if (mode == Mode.MMAP) {
                break;
            }
            pos = end + 1;
        }
        return Optional.of(string(bestStart, bestEnd));
    }

    String string(int start, int end) {
        return RawText.decode(bytes.get(), start, end);
    }

    static byte[] keyBytes(String key) {
        return RawText.encode(RawText.beforeNul(key));
    }
}
