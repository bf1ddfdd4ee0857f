package org.autoprobe.core.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.luben.zstd.ZstdOutputStream;
import org.autoprobe.core.compress.Compression;
import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSignature;
import org.autoprobe.core.module.ModuleSymbol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Fuzz targets for the module reader: any bytes, plain or compressed (zstd, xz, gzip, told by
 * their magic), give a {@link ModuleInfo} or a {@link ModuleFormatException} that names the file,
 * never another exception, and the same answer whether they come from memory or from a file
 * (mapped, read whole, or handed over without being kept).
 *
 * <p>{@code mvn test} replays the inputs under {@code src/test/resources/.../ModuleReaderFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes (bench/scripts/fuzz.sh).
 */
class ModuleReaderFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("module-reader-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** What a read gives, comparable: the module's data, or the problem reported. */
    private record Outcome(String name, List<ModinfoField> modinfo, List<ModuleSymbol> exports,
                           List<ModuleSymbol> needs, String signature, String problem) {
        static Outcome of(ModuleInfo m, boolean withSignature) {
            return new Outcome(m.name(), m.modinfo(), m.exports(), m.needs(),
                    withSignature ? m.signature().map(Outcome::describe).orElse("none") : "-", null);
        }

        static Outcome of(ModuleFormatException e) {
            return new Outcome(null, null, null, null, null, e.problem());
        }

        private static String describe(ModuleSignature s) {
            return s.idType() + "/" + s.signer() + "/" + Arrays.toString(s.keyId()) + "/" + s.hashAlgo() + "/"
                    + Arrays.toString(s.signature());
        }

        Outcome withoutSignature() {
            return new Outcome(name, modinfo, exports, needs, problem == null ? "-" : null, problem);
        }
    }

    private static Outcome readInMemory(Path file, byte[] raw) {
        try {
            ModuleInfo m = ModuleReader.read(file, raw);
            checkModule(file, m);
            return Outcome.of(m, true);
        } catch (ModuleFormatException e) {
            checkProblem(file, e);
            return Outcome.of(e);
        }
    }

    private static void checkModule(Path file, ModuleInfo m) {
        assertEquals("fuzzed_mod", m.name());
        assertEquals(file, m.file());
        for (ModinfoField f : m.modinfo()) {
            assertNotNull(f.key());
            assertNotNull(f.value());
            assertFalse(f.key().indexOf('\0') >= 0 || f.value().indexOf('\0') >= 0, "NUL inside a .modinfo record");
        }
        for (ModuleSymbol s : m.exports()) {
            assertNotNull(s.name());
        }
        for (ModuleSymbol s : m.needs()) {
            assertNotNull(s.name()); // may be empty: kmod keeps an unused __versions entry whatever its name
        }
        assertNotNull(m.signature());
    }

    private static void checkProblem(Path file, ModuleFormatException e) {
        assertEquals(file.toString(), e.source());
        assertNotNull(e.problem());
        assertFalse(e.problem().isBlank(), "a problem without words");
        assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
    }

    /**
     * Arbitrary bytes as a module file: in memory, and as a file read by each of the three paths
     * (read, readForIndex, symbolTables), which must agree with each other.
     */
    @FuzzTest
    void moduleBytes(byte[] data) throws IOException {
        Path file = dir.resolve("fuzzed-mod.ko");
        Outcome inMemory = readInMemory(file, data);
        Files.write(file, data);
        Outcome fromFile;
        try {
            ModuleInfo m = ModuleReader.read(file);
            checkModule(file, m);
            fromFile = Outcome.of(m, true);
        } catch (ModuleFormatException e) {
            checkProblem(file, e);
            fromFile = Outcome.of(e);
        }
        assertEquals(inMemory, fromFile, "read(Path) and read(Path, byte[]) disagree");
        Outcome forIndex;
        String indexDamage = "";
        try {
            ModuleInfo m = ModuleReader.readForIndex(file);
            checkModule(file, m);
            assertTrue(m.signature().isEmpty(), "readForIndex parses no signature");
            forIndex = Outcome.of(m, false);
            indexDamage = m.damage().orElse("");
        } catch (ModuleFormatException e) {
            checkProblem(file, e);
            forIndex = Outcome.of(e);
        }
        if (inMemory.problem() != null && forIndex.problem() == null) {
            // only a missing or unreadable .modinfo makes read refuse what depmod still reads (as
            // libkmod reads a file's symbols without it): the index's read names it as damage
            assertTrue(indexDamage.contains(inMemory.problem()),
                    "read refused (" + inMemory.problem() + ") what readForIndex read without saying so: " + indexDamage);
            assertEquals(List.of(), forIndex.modinfo(), "modinfo fields without a readable .modinfo");
        } else {
            assertEquals(inMemory.withoutSignature(), forIndex, "readForIndex and read disagree");
        }
        // never throws for a readable file: a bad one is reported as libkmod's ENOEXEC
        ModuleReader.SymbolTables tables = ModuleReader.symbolTables(file);
        assertTrue((tables.versions() == null) == (tables.versionsProblem() != null), "versions xor their problem");
        assertTrue((tables.exports() == null) == (tables.exportsProblem() != null), "exports xor their problem");
        if (inMemory.problem() == null) {
            assertTrue(tables.versionsProblem() != ModuleReader.Problem.NOT_ELF,
                    "a readable module's ELF is refused by symbolTables");
        }
    }

    /**
     * The fuzzer's bytes after the first, compressed with the kind the first byte picks: reading the
     * compressed file gives exactly what reading the plain bytes gives.
     */
    @FuzzTest
    void compressedModule(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        Compression kind = switch (Byte.toUnsignedInt(data[0]) % 3) {
            case 0 -> Compression.XZ;
            case 1 -> Compression.ZSTD;
            default -> Compression.GZIP;
        };
        byte[] plain = Arrays.copyOfRange(data, 1, data.length);
        byte[] packed = compress(kind, plain);
        assertEquals(kind, Compression.detect(java.nio.ByteBuffer.wrap(packed)));
        Path file = dir.resolve("fuzzed-mod.ko.z");
        Outcome expected = readInMemory(file, plain);
        Outcome got = readInMemory(file, packed);
        if (expected.problem() == null || got.problem() == null) {
            assertEquals(expected, got, "a compressed module reads differently from its plain bytes");
        }
        // both refused: the messages may differ (a nested stream's own problem), both name the file
        assertArrayEquals(plain, toArray(ModuleBytes.decompress(file.toString(), packed)),
                "decompression does not give back the bytes compressed");
    }

    private static byte[] toArray(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static byte[] compress(Compression kind, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (kind) {
            case XZ -> new XZOutputStream(bytes, new LZMA2Options(0));
            case GZIP -> new GZIPOutputStream(bytes);
            case ZSTD -> new ZstdOutputStream(bytes, 1);
            case NONE -> bytes;
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
