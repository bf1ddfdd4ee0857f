package org.autoprobe.rules.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileReaderTest {
    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();
    private final ReadProblems sink = new ReadProblems() {
        @Override
        public void accept(String p) {
            problems.add(p);
        }

        @Override
        public void unreadable(String p) {
            unreadable.add(p);
        }
    };

    private Optional<byte[]> read(Path p, ConfigFileReader.IfMissing ifMissing) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ConfigFileReader.read(p, p.toString(), ifMissing, sink));
    }

    @Test
    void aRegularFileAndASymbolicLinkToOneAreRead() throws IOException {
        Path f = Files.writeString(dir.resolve("a.conf"), "blacklist x\n");
        Path link = Files.createSymbolicLink(dir.resolve("b.conf"), f);
        assertArrayEquals("blacklist x\n".getBytes(StandardCharsets.UTF_8),
                read(f, ConfigFileReader.IfMissing.VANISHED).orElseThrow());
        assertArrayEquals("blacklist x\n".getBytes(StandardCharsets.UTF_8),
                read(link, ConfigFileReader.IfMissing.VANISHED).orElseThrow());
        assertEquals(List.of(), problems);
        assertEquals(List.of(), unreadable);
    }

    @Test
    void aFifoIsNeverOpened() throws Exception {
        Path p = HostileFiles.fifo(dir.resolve("x.conf"));
        assertEquals(Optional.empty(), read(p, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(p + ": not a regular file (a FIFO), ignored"), problems);
        assertEquals(List.of(), unreadable, "a FIFO is a problem of the configuration, not of reading it");
    }

    @Test
    void aLinkToDevZeroIsACharacterDeviceAndNotRead() throws IOException {
        Path p = HostileFiles.endless(dir.resolve("x.conf"));
        assertEquals(Optional.empty(), read(p, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(p + ": not a regular file (a character device), ignored"), problems);
    }

    @Test
    void aLinkToDevNullMasksSilentlyAsInKmodAndUdev() throws IOException {
        Path p = Files.createSymbolicLink(dir.resolve("x.conf"), Path.of("/dev/null"));
        assertArrayEquals(new byte[0], read(p, ConfigFileReader.IfMissing.VANISHED).orElseThrow());
        assertEquals(List.of(), problems);
    }

    @Test
    void aFileOverTheLimitIsIgnoredWithOneMessageOneAtTheLimitIsRead() throws IOException {
        Path big = HostileFiles.huge(dir.resolve("big.conf"));
        assertEquals(Optional.empty(), read(big, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(big + ": larger than 4194304 bytes, ignored"), problems);
        Path atLimit = dir.resolve("limit.conf");
        Files.write(atLimit, new byte[ConfigFileReader.MAX_BYTES]);
        assertEquals(ConfigFileReader.MAX_BYTES, read(atLimit, ConfigFileReader.IfMissing.VANISHED).orElseThrow().length);
        assertEquals(1, problems.size());
    }

    @Test
    void aDirectoryIsNamedAsOne() throws IOException {
        Path d = HostileFiles.directory(dir.resolve("x.conf"));
        assertEquals(Optional.empty(), read(d, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(d + ": not a regular file (a directory), ignored"), problems);
    }

    @Test
    void aFileThatVanishedIsUnreadableAnOptionalOneIsNothing() throws IOException {
        Path gone = dir.resolve("gone.conf");
        assertEquals(Optional.empty(), read(gone, ConfigFileReader.IfMissing.SKIP));
        assertEquals(List.of(), problems);
        assertEquals(List.of(), unreadable);
        assertEquals(Optional.empty(), read(gone, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(gone + ": gone before it could be read"), unreadable);
        assertEquals(List.of(), problems);
    }

    @Test
    void aDanglingSymbolicLinkIsSkippedSilentlyAsInKmod() throws IOException {
        Path p = Files.createSymbolicLink(dir.resolve("x.conf"), dir.resolve("nowhere"));
        assertEquals(Optional.empty(), read(p, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(), problems);
        assertEquals(List.of(), unreadable, "how the configuration is, not a failure to read it");
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path throughAFile = Files.createSymbolicLink(dir.resolve("y.conf"), file.resolve("sub"));
        Path loop = Files.createSymbolicLink(dir.resolve("z.conf"), dir.resolve("z.conf"));
        assertEquals(Optional.empty(), read(throughAFile, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(Optional.empty(), read(loop, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(List.of(), problems);
        assertEquals(List.of(), unreadable);
    }

    @Test
    void anIoErrorIsUnreadable() throws IOException {
        // a path through a regular file: stat fails with ENOTDIR, an error of reading, not "missing"
        Path f = Files.writeString(dir.resolve("file"), "x");
        Path p = f.resolve("x.conf");
        assertEquals(Optional.empty(), read(p, ConfigFileReader.IfMissing.VANISHED));
        assertEquals(1, unreadable.size(), unreadable.toString());
        assertTrue(unreadable.get(0).startsWith(p + ": cannot read: "), unreadable.get(0));
        assertEquals(List.of(), problems);
    }

    @Test
    void aProcFileWhoseSizeIsZeroIsReadToItsEnd() {
        Path cmdline = Path.of("/proc/self/cmdline");
        if (!Files.isReadable(cmdline)) {
            return; // not Linux
        }
        assertTrue(read(cmdline, ConfigFileReader.IfMissing.SKIP).orElseThrow().length > 0);
    }

    @Test
    void aPlainConsumerHearsBothKinds() {
        List<String> all = new ArrayList<>();
        Path gone = dir.resolve("gone.conf");
        ConfigFileReader.read(gone, "gone.conf", ConfigFileReader.IfMissing.VANISHED, all::add);
        assertEquals(List.of("gone.conf: gone before it could be read"), all);
    }
}
