package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.match.Glob;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the kmod index reader: arbitrary bytes as a {@code .bin} file and an arbitrary
 * key. Opening refuses a bad header with a {@link TrieFormatException}; searches and walks either
 * answer or throw {@link UncheckedIOException} around a {@link TrieFormatException} naming the
 * source, never anything else. When the whole trie can be walked, every answer agrees with the
 * walk: the exact search finds a key's first value, and the wildcard search finds the values of
 * exactly the stored patterns that libkmod's walk reaches and that {@link Glob} (fnmatch) matches.
 *
 * <p>Input layout: one byte {@code n}, {@code n} bytes of key (UTF-8), the rest is the index file.
 */
class TrieReaderFuzzTest {
    private static final String SOURCE = "fuzzed.bin";

    private record Pair(byte[] key, byte[] value) {
    }

    @FuzzTest
    void searchAnyIndex(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int n = Math.min(Byte.toUnsignedInt(data[0]), data.length - 1);
        String key = new String(data, 1, n, StandardCharsets.UTF_8);
        byte[] file = Arrays.copyOfRange(data, 1 + n, data.length);
        TrieReader reader;
        try {
            reader = TrieReader.wrap(ByteBuffer.wrap(file), SOURCE);
        } catch (TrieFormatException e) {
            assertEquals(SOURCE, e.source());
            assertTrue(file.length < 12 || e.offset() == 0 || e.offset() == 4, "header problems are at 0 or 4");
            return;
        }
        for (TrieReader.Mode mode : TrieReader.Mode.values()) {
            check(reader.withMode(mode), file, key);
        }
    }

    private static void check(TrieReader reader, byte[] file, String key) {
        List<Pair> all = new ArrayList<>();
        boolean walked = answers(() -> {
            new Dumper(file, file.length, SOURCE, reader.mode(),
                    (k, len, value) -> all.add(new Pair(Arrays.copyOf(k, len), value))).run(rootOf(file));
            return Boolean.TRUE;
        }) != null;
        Optional<String> exact = answers(() -> reader.search(key));
        List<TrieReader.Value> wild = answers(() -> reader.searchWild(key));
        // the public walk and dump say the same as the walk above
        List<String> viaForEach = new ArrayList<>();
        boolean forEachWorked = answers(() -> {
            reader.forEach((k, v) -> viaForEach.add(v));
            return Boolean.TRUE;
        }) != null;
        assertEquals(walked, forEachWorked);
        ByteArrayOutputStream dumped = new ByteArrayOutputStream();
        try {
            reader.dump(dumped, "alias ");
            assertTrue(walked, "dump walks a trie forEach cannot");
        } catch (TrieFormatException e) {
            assertEquals(SOURCE, e.source());
            assertFalse(walked, "dump fails on a trie forEach walks");
        } catch (IOException e) {
            throw new AssertionError("dump throws " + e, e);
        }
        if (!walked) {
            return;
        }
        assertEquals(all.size(), viaForEach.size());
        long newlines = dumped.toString(StandardCharsets.ISO_8859_1).chars().filter(c -> c == '\n').count();
        assertEquals(all.size() + countNewlines(all), newlines, "dump prints one line per pair");
        byte[] k = TrieReader.keyBytes(key);
        if (exact != null) {
            Optional<byte[]> first = all.stream().filter(p -> Arrays.equals(p.key(), k)).map(Pair::value).findFirst();
            assertEquals(first.map(v -> new String(v, StandardCharsets.UTF_8)), exact,
                    "search disagrees with the walk for key " + Arrays.toString(k));
        }
        if (wild != null) {
            List<String> expected = new ArrayList<>();
            for (Pair p : all) {
                if (reachedByWildWalk(p.key(), k) && Glob.matches(p.key(), p.key().length, k, 0, k.length)) {
                    expected.add(new String(p.value(), StandardCharsets.UTF_8));
                }
            }
            List<String> got = new ArrayList<>(wild.stream().map(TrieReader.Value::value).toList());
            expected.sort(null);
            got.sort(null);
            assertEquals(expected, got, "searchWild disagrees with fnmatch over the walk for key " + Arrays.toString(k));
        }
    }

    /** Newlines inside keys and values (a line per pair is one '\n' plus these). */
    private static long countNewlines(List<Pair> all) {
        long n = 0;
        for (Pair p : all) {
            for (byte b : p.key()) {
                n += b == '\n' ? 1 : 0;
            }
            for (byte b : p.value()) {
                n += b == '\n' ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * Whether libkmod's wildcard walk looks at the stored pattern {@code pattern} for {@code key}:
     * it follows the key exactly up to the pattern's first {@code * ? [}, and a pattern without
     * one only where it equals the key.
     */
    private static boolean reachedByWildWalk(byte[] pattern, byte[] key) {
        for (int i = 0; i < pattern.length; i++) {
            byte c = pattern[i];
            if (c == '*' || c == '?' || c == '[') {
                return true;
            }
            if (i >= key.length || key[i] != c) {
                return false;
            }
        }
        return pattern.length == key.length;
    }

    private static int rootOf(byte[] file) {
        return ByteBuffer.wrap(file).getInt(8);
    }

    private interface Call<T> {
        T call() throws TrieFormatException;
    }

    /** The answer, or null when the trie is malformed (reported as the contract says). */
    private static <T> T answers(Call<T> call) {
        try {
            T t = call.call();
            assertTrue(t != null, "no answer and no exception");
            return t;
        } catch (UncheckedIOException e) {
            TrieFormatException cause = assertInstanceOf(TrieFormatException.class, e.getCause());
            assertEquals(SOURCE, cause.source());
            return null;
        } catch (TrieFormatException e) {
            assertEquals(SOURCE, e.source());
            return null;
        }
    }
}
