package org.autoprobe.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.autoprobe.core.index.ModuleDatabase.Index;
import org.autoprobe.core.index.trie.TrieFormatException;
import org.autoprobe.core.index.trie.TrieReader;
import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinModuleDatabaseTest {
    @TempDir
    Path dir;

    private void write(Index index, byte[] bytes) throws IOException {
        Files.write(dir.resolve(index.file() + ".bin"), bytes);
    }

    private void writeAll() throws IOException {
        write(Index.DEP, TrieBytes.of("e1000e", 0, "kernel/drivers/net/e1000e.ko: kernel/lib/crc.ko",
                "crc", 1, "kernel/lib/crc.ko:"));
        write(Index.ALIAS, TrieBytes.of("pci:v00008086d*", 0, "e1000e", "pci:v*", 1, "crc"));
        write(Index.SYMBOL, TrieBytes.of("symbol:crc32", 1, "crc"));
        write(Index.BUILTIN, TrieBytes.of("ext4", 0, ""));
        write(Index.BUILTIN_ALIAS, TrieBytes.of("fs_ext*", 0, "ext4", "fs_ext*", 0, "jbd_fake"));
    }

    @Test
    void answersFromEachIndex() throws IOException {
        writeAll();
        BinModuleDatabase db = BinModuleDatabase.open(dir);
        assertEquals(dir, db.moduleDirectory());
        assertTrue(db.mapped());
        for (Index index : Index.values()) {
            assertTrue(db.has(index), index::toString);
            assertEquals(Optional.empty(), db.problem(index));
        }
        assertEquals(Optional.of("kernel/drivers/net/e1000e.ko: kernel/lib/crc.ko"), db.lookup(Index.DEP, "e1000e"));
        assertEquals(List.of("e1000e", "crc"), db.match(Index.ALIAS, "pci:v00008086d000010D3"));
        assertEquals(List.of("crc"), db.match(Index.ALIAS, "pci:v00001234"));
        assertEquals(List.of(), db.match(Index.ALIAS, "usb:v1"));
        assertEquals(List.of("crc"), db.match(Index.SYMBOL, "symbol:crc32"));
        assertEquals(Optional.of(""), db.lookup(Index.BUILTIN, "ext4"));
        assertEquals(List.of("jbd_fake", "ext4"), db.match(Index.BUILTIN_ALIAS, "fs_ext4"));
    }

    @Test
    void aMissingIndexIsEmptyAndSaysWhy() throws IOException {
        writeAll();
        Files.delete(dir.resolve("modules.builtin.alias.bin"));
        BinModuleDatabase db = BinModuleDatabase.open(dir);
        assertFalse(db.has(Index.BUILTIN_ALIAS));
        assertEquals(List.of(), db.match(Index.BUILTIN_ALIAS, "fs_ext4"));
        assertEquals(Optional.empty(), db.lookup(Index.BUILTIN_ALIAS, "fs_ext*"));
        assertInstanceOf(NoSuchFileException.class, db.problem(Index.BUILTIN_ALIAS).orElseThrow());
        assertTrue(db.mapped(), "builtin.alias is optional to libkmod");
    }

    @Test
    void aMissingDepIndexIsReportable() {
        BinModuleDatabase db = BinModuleDatabase.open(dir.resolve("nowhere"));
        assertFalse(db.has(Index.DEP));
        IOException why = db.problem(Index.DEP).orElseThrow();
        assertInstanceOf(NoSuchFileException.class, why);
        assertTrue(why.getMessage().endsWith("modules.dep.bin"), why.getMessage());
        assertEquals(Optional.empty(), db.lookup(Index.DEP, "e1000e"));
        assertFalse(db.mapped());
    }

    @Test
    void aCorruptIndexIsLeftOutWithFileAndOffset() throws IOException {
        writeAll();
        write(Index.ALIAS, new byte[] {1, 2, 3, 4, 0, 2, 0, 1, 0, 0, 0, 12});
        BinModuleDatabase db = BinModuleDatabase.open(dir);
        assertFalse(db.has(Index.ALIAS));
        TrieFormatException why = assertInstanceOf(TrieFormatException.class, db.problem(Index.ALIAS).orElseThrow());
        assertEquals(dir.resolve("modules.alias.bin").toString(), why.source());
        assertEquals(0, why.offset());
        assertFalse(db.mapped());
    }

    @Test
    void withoutTheBuiltinIndexLibkmodsStreamReaderOrderApplies() throws IOException {
        writeAll();
        // depmod writes an empty modules.builtin.bin when the kernel has no modules.builtin.
        write(Index.BUILTIN, new byte[0]);
        BinModuleDatabase db = BinModuleDatabase.open(dir);
        assertFalse(db.mapped());
        assertEquals(TrieReader.Mode.FILE, db.trie(Index.BUILTIN_ALIAS).orElseThrow().mode());
        assertEquals(List.of("ext4", "jbd_fake"), db.match(Index.BUILTIN_ALIAS, "fs_ext4"));
    }
}
