package org.autoprobe.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.index.ModuleDatabase.Index;
import org.autoprobe.core.index.trie.TrieFormatException;
import org.autoprobe.core.index.trie.TrieReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for a modules directory whose {@code .bin} files hold arbitrary bytes: opening never
 * fails (a file that is not an index is left out, with its problem), and every lookup and match
 * either answers or throws {@link UncheckedIOException} around a {@link TrieFormatException} that
 * names the file, the same answer the in-memory reader gives for those bytes.
 *
 * <p>Input layout: one byte whose low five bits say which of the five indexes get the file (the
 * others are missing), one byte {@code n}, {@code n} bytes of key (UTF-8), the rest is the file.
 */
class BinModuleDatabaseFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("bin-database-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        clear();
        Files.delete(dir);
    }

    private static void clear() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
    }

    @FuzzTest
    void lookUpAnyKeyInAnyIndex(byte[] data) throws IOException {
        if (data.length < 2) {
            return;
        }
        int present = data[0] & 0x1f;
        int n = Math.min(Byte.toUnsignedInt(data[1]), data.length - 2);
        String key = new String(data, 2, n, StandardCharsets.UTF_8);
        byte[] file = Arrays.copyOfRange(data, 2 + n, data.length);
        clear();
        for (Index index : Index.values()) {
            if ((present & (1 << index.ordinal())) != 0) {
                Files.write(dir.resolve(index.file() + ".bin"), file);
            }
        }
        BinModuleDatabase db = BinModuleDatabase.open(dir);
        TrieReader inMemory;
        try {
            inMemory = TrieReader.wrap(ByteBuffer.wrap(file), "memory");
        } catch (TrieFormatException e) {
            inMemory = null;
        }
        boolean allFour = true;
        for (Index index : Index.values()) {
            boolean written = (present & (1 << index.ordinal())) != 0;
            assertEquals(db.has(index), db.problem(index).isEmpty(), "an index is there or has a problem");
            assertEquals(written && inMemory != null, db.has(index), index + " opened although its file is bad, or not");
            if (!written) {
                assertInstanceOf(NoSuchFileException.class, db.problem(index).orElseThrow());
            } else if (!db.has(index)) {
                TrieFormatException e = assertInstanceOf(TrieFormatException.class, db.problem(index).orElseThrow());
                assertEquals(dir.resolve(index.file() + ".bin").toString(), e.source());
            }
            if (index != Index.BUILTIN_ALIAS) {
                allFour &= db.has(index);
            }
        }
        assertEquals(allFour, db.mapped());
        for (Index index : Index.values()) {
            String source = dir.resolve(index.file() + ".bin").toString();
            TrieReader expected = db.has(index)
                    ? inMemory.withMode(db.mapped() ? TrieReader.Mode.MMAP : TrieReader.Mode.FILE) : null;
            Optional<String> lookup = call(source, () -> db.lookup(index, key));
            Optional<String> expectedLookup = expected == null ? Optional.empty() : call("memory", () -> expected.search(key));
            assertEquals(expectedLookup, lookup, "lookup in " + index);
            List<String> match = call(source, () -> db.match(index, key));
            List<String> expectedMatch = expected == null ? List.of()
                    : call("memory", () -> expected.searchWild(key).stream().map(TrieReader.Value::value).toList());
            assertEquals(expectedMatch, match, "match in " + index);
        }
    }

    private interface Call<T> {
        T call();
    }

    /** The answer, or null when the index is malformed (reported as the contract says). */
    private static <T> T call(String source, Call<T> call) {
        try {
            T t = call.call();
            assertTrue(t != null, "no answer and no exception");
            return t;
        } catch (UncheckedIOException e) {
            TrieFormatException cause = assertInstanceOf(TrieFormatException.class, e.getCause());
            assertEquals(source, cause.source());
            return null;
        }
    }
}
