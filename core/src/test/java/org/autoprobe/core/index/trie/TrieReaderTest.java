package org.autoprobe.core.index.trie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.autoprobe.core.index.trie.TrieReader.Value;
import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrieReaderTest {
    private static TrieReader aliases() {
        return TrieBytes.create()
                .add("pci:v00008086d000010D3sv*sd*bc*sc*i*", 7, "e1000e")
                .add("pci:v00008086d*sv*sd*bc02sc00i*", 9, "ixgb_like")
                .add("pci:v*d*sv*sd*bc0Csc03i30*", 3, "xhci_pci")
                .add("usb:v13FDp3940d0[0-2]*dc*", 5, "uas")
                .add("usb:v13FDp3940d0[0-2]*dc*", 6, "usb_storage")
                .add("acpi*:PNP0C0A:*", 4, "battery")
                .add("acpi?:PNP0C0B", 2, "fan")
                .add("fs_ext4", 1, "ext4")
                .add("fs_ext", 8, "ext_other")
                .reader();
    }

    private static List<String> names(List<Value> values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.value()));
        return names;
    }

    @Test
    void exactSearchFindsOnlyWholeKeys() {
        TrieReader r = aliases();
        assertEquals(Optional.of("ext4"), r.search("fs_ext4"));
        assertEquals(Optional.of("ext_other"), r.search("fs_ext"));
        assertEquals(Optional.empty(), r.search("fs_ex"));
        assertEquals(Optional.empty(), r.search("fs_ext44"));
        assertEquals(Optional.empty(), r.search(""));
        assertEquals(Optional.of("fan"), r.search("acpi?:PNP0C0B"));
        assertEquals(Optional.empty(), r.search("acpiX:PNP0C0B"));
    }

    @Test
    void wildSearchMergesMatchesByPriority() {
        TrieReader r = aliases();
        assertEquals(List.of("e1000e", "ixgb_like"),
                names(r.searchWild("pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00")));
        assertEquals(List.of(new Value(3, "xhci_pci")), r.searchWild("pci:v00001B21d00001142sv0sd0bc0Csc03i30"));
        assertEquals(List.of("uas", "usb_storage"), names(r.searchWild("usb:v13FDp3940d0150dc00")));
        assertEquals(List.of(), r.searchWild("usb:v13FDp3940d0350dc00"));
        assertEquals(List.of("fan"), names(r.searchWild("acpiX:PNP0C0B")));
        assertEquals(List.of("battery"), names(r.searchWild("acpi:PNP0C0A:")));
        assertEquals(List.of("ext4"), names(r.searchWild("fs_ext4")));
        assertEquals(List.of(), r.searchWild("fs_ext4x"));
        assertEquals(List.of(), r.searchWild(""));
    }

    @Test
    void equalPrioritiesComeOutAsLibkmodInsertsThem() {
        // builtin.alias.bin stores everything at priority 0.
        TrieBytes bytes = TrieBytes.create()
                .add("x*", 0, "a").add("x*", 0, "b")
                .add("xy*", 0, "c")
                .add("xyz", 0, "d").add("xyz", 0, "e");
        TrieReader mmap = bytes.reader();
        // The walk meets x* (children first: xy* is below it), then xy*, then the exact node.
        // Each value goes before those of equal priority: the last one met comes first.
        assertEquals(List.of("e", "d", "c", "b", "a"), names(mmap.searchWild("xyz")));
        TrieReader file = mmap.withMode(TrieReader.Mode.FILE);
        assertEquals(List.of("d", "e", "c", "a", "b"), names(file.searchWild("xyz")));
        assertEquals(Optional.of("d"), mmap.search("xyz"));
        assertEquals(Optional.of("e"), file.search("xyz"));
    }

    @Test
    void searchWildWalksSubtreesBelowEveryWildcardEdgeInCharacterOrder() {
        TrieBytes bytes = TrieBytes.create()
                .add("a*", 1, "star")
                .add("a?", 1, "question")
                .add("a[b]", 1, "bracket")
                .add("a*b", 1, "starb")
                .add("ab", 1, "exact");
        // '*' edge first (its subtree: "a*b" below "a*", children before the node itself),
        // then '?', then '[', then the exact node; each new one goes first.
        assertEquals(List.of("exact", "bracket", "question", "star", "starb"), names(bytes.reader().searchWild("ab")));
    }

    @Test
    void dumpListsKeysInByteOrderAsModprobeDashC() throws IOException {
        TrieReader r = TrieBytes.create().add("b", 2, "two").add("a", 1, "one").add("ab", 3, "x").add("ab", 3, "y")
                .add("a*", 0, "star").reader();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.dump(out, "alias ");
        assertEquals("alias a one\nalias a* star\nalias ab x\nalias ab y\nalias b two\n",
                out.toString(StandardCharsets.UTF_8));
        List<String> pairs = new ArrayList<>();
        r.withMode(TrieReader.Mode.FILE).forEach((k, v) -> pairs.add(k + "=" + v));
        assertEquals(List.of("a=one", "a*=star", "ab=y", "ab=x", "b=two"), pairs);
    }

    @Test
    void anEmptyIndexHasNothing() {
        TrieReader r = TrieBytes.create().reader();
        assertEquals(Optional.empty(), r.search("x"));
        assertEquals(List.of(), r.searchWild("x"));
        List<String> pairs = new ArrayList<>();
        r.forEach((k, v) -> pairs.add(k));
        assertEquals(List.of(), pairs);
    }

    @Test
    void keysEndAtNul() {
        TrieReader r = aliases();
        assertEquals(Optional.of("ext4"), r.search("fs_ext4\0junk"));
    }

    @Test
    void opensAFileByMappingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("modules.alias.bin");
        Files.write(file, TrieBytes.create().add("k", 1, "v").build());
        assertEquals(Optional.of("v"), TrieReader.open(file).search("k"));
        assertEquals(file.toString(), TrieReader.open(file).source());
        assertThrows(NoSuchFileException.class, () -> TrieReader.open(dir.resolve("missing.bin")));
    }

    @Test
    void badHeadersAreNamedWithFileAndOffset(@TempDir Path dir) throws IOException {
        byte[] good = TrieBytes.create().add("k", 1, "v").build();
        Path shortFile = dir.resolve("short.bin");
        Files.write(shortFile, new byte[] {(byte) 0xB0, 7});
        TrieFormatException e = assertThrows(TrieFormatException.class, () -> TrieReader.open(shortFile));
        assertTrue(e.getMessage().startsWith(shortFile + ": at offset 0"), e.getMessage());

        byte[] badMagic = good.clone();
        badMagic[3] = 0x58;
        e = assertThrows(TrieFormatException.class, () -> TrieReader.wrap(ByteBuffer.wrap(badMagic), "x.bin"));
        assertEquals("x.bin: at offset 0 (0x0): bad magic 0xB007F458 (a kmod index starts with 0xB007F457)",
                e.getMessage());

        byte[] badVersion = good.clone();
        badVersion[5] = 3;
        e = assertThrows(TrieFormatException.class, () -> TrieReader.wrap(ByteBuffer.wrap(badVersion), "x.bin"));
        assertEquals(4, e.offset());
        assertTrue(e.problem().contains("expected major version 2"), e.problem());

        byte[] minorBumped = good.clone();
        minorBumped[7] = 9;
        assertEquals(Optional.of("v"), TrieReader.wrap(ByteBuffer.wrap(minorBumped), "x.bin").search("k"));
    }

    @Test
    void aNodeOutsideTheFileIsAFormatErrorNotAnIndexError() {
        byte[] bytes = TrieBytes.create().add("k", 1, "v").build();
        bytes[10] = 0x7f; // root offset far past the end
        TrieReader r = wrap(bytes);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> r.search("k"));
        TrieFormatException cause = assertInstanceOf(TrieFormatException.class, e.getCause());
        assertEquals("t.bin", cause.source());
        assertTrue(cause.problem().contains("outside the file"), cause.problem());
        assertThrows(UncheckedIOException.class, () -> r.searchWild("k"));
        assertThrows(UncheckedIOException.class, () -> r.forEach((k, v) -> { }));
    }

    @Test
    void aValueRunningPastTheEndIsAFormatError() {
        byte[] full = TrieBytes.create().add("k", 1, "value").build();
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> wrap(cut).search("k"));
        assertTrue(e.getCause().getMessage().contains("runs past the end"), e.getCause().getMessage());
    }

    @Test
    void loopingNodesAreReportedNotFollowedForever() {
        // The root "*" has a child for '*' that points back at the root: "*", "**", "***", ...
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(0xB007F457).putInt(0x00020001).putInt(0xA000000C);
        b.put((byte) '*').put((byte) 0).put((byte) '*').put((byte) '*').putInt(0xA000000C);
        TrieReader r = wrap(java.util.Arrays.copyOf(b.array(), b.position()));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> r.searchWild("ab"));
        assertTrue(e.getCause().getMessage().contains("loop"), e.getCause().getMessage());
        assertThrows(UncheckedIOException.class, () -> r.forEach((k, v) -> { }));
    }

    private static TrieReader wrap(byte[] bytes) {
        try {
            return TrieReader.wrap(ByteBuffer.wrap(bytes), "t.bin");
        } catch (TrieFormatException e) {
            throw new AssertionError(e);
        }
    }
}
