package org.autoprobe.rules.depmod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.rules.files.HostileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepmodConfigParserTest {
    @TempDir
    Path tmp;

    @Test
    void parsesEveryCommandInOrder() {
        List<String> warnings = new ArrayList<>();
        DepmodConfig c = DepmodConfigParser.parse("a.conf", List.of(
                "# comment",
                "",
                "search updates extra built-in",
                "search\texternal",
                "override e1000 * kernel/net", // a backslash in the version below is dropped, as kmod drops it
                "override e1000 6\\.1.* \\",
                "   updates/net",
                "external 6.1.0-56-amd64 /opt/ext /ignored",
                "exclude dkms\tnouveau",
                "include other.conf",
                "make_map_files",
                "bogus thing",
                "  # not a comment when indented",
                "override onlyname"), warnings::add);
        assertEquals(List.of("updates", "extra", DepmodConfig.BUILT_IN, "external"), c.search());
        assertEquals(List.of(new DepmodConfig.Override("e1000", "*", "kernel/net"),
                new DepmodConfig.Override("e1000", "6.1.*", "updates/net")), c.overrides());
        assertEquals(List.of(new DepmodConfig.External("6.1.0-56-amd64", List.of("/opt/ext"))), c.externals());
        assertEquals(List.of("dkms", "nouveau"), c.excludes());
        assertEquals(List.of(
                "a.conf:12: ignoring bad line starting with 'bogus'",
                "a.conf:13: ignoring bad line starting with '#'",
                "a.conf:14: ignoring bad line starting with 'override'"), warnings);
    }

    @Test
    void backslashIsDroppedAndTheNextCharacterKeptAsKmodReadsLines() {
        // kmod's line reader drops the backslash; the space it kept still separates words
        DepmodConfig c = DepmodConfigParser.parse("b.conf", List.of("exclude a\\ b c\\\\d"), w -> { });
        assertEquals(List.of("a", "b", "c\\d"), c.excludes());
    }

    @Test
    void filesSortByNameAndAnEarlierDirectoryShadowsALaterOne() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.writeString(etc.resolve("b.conf"), "search etc-b\n");
        Files.writeString(lib.resolve("b.conf"), "search lib-b\n");
        Files.writeString(lib.resolve("a.conf"), "search lib-a\n");
        Files.writeString(lib.resolve("c.conf"), "search lib-c\nbad\n");
        Files.writeString(lib.resolve("d.txt"), "search ignored\n");
        Files.writeString(lib.resolve(".hidden.conf"), "search ignored\n");
        Files.createDirectories(lib.resolve("sub.conf"));
        Path single = Files.writeString(tmp.resolve("0single.conf"), "exclude x\n");
        List<String> warnings = new ArrayList<>();
        DepmodConfig c = DepmodConfigParser.load(List.of(etc, lib, single, tmp.resolve("missing")), warnings::add);
        assertEquals(List.of("lib-a", "etc-b", "lib-c"), c.search());
        assertEquals(List.of("x"), c.excludes());
        assertEquals(List.of("Directories inside directories are not supported: " + lib + "/sub.conf",
                lib.resolve("c.conf") + ":2: ignoring bad line starting with 'bad'"), warnings);
    }

    @Test
    void noSearchLinesLeaveSearchEmptyForKmodsDefault() {
        assertEquals(DepmodConfig.DEFAULT, DepmodConfigParser.parse("e.conf", List.of("# nothing"), w -> { }));
    }

    @Test
    void lineSplittingKeepsCarriageReturns() {
        assertEquals(List.of("a\r", "", "b"), DepmodConfigParser.lines("a\r\n\nb"));
        assertEquals(List.of("a"), DepmodConfigParser.lines("a\n"));
    }

    @Test
    void aFifoALinkToDevZeroAHugeFileAndADirectoryEachGiveOneMessageAndTheRestIsRead() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("depmod.d"));
        Files.writeString(d.resolve("a.conf"), "search updates\n");
        Path fifo = HostileFiles.fifo(d.resolve("b.conf"));
        Path zero = HostileFiles.endless(d.resolve("c.conf"));
        Path huge = HostileFiles.huge(d.resolve("e.conf"));
        HostileFiles.directory(d.resolve("f.conf"));
        Files.writeString(d.resolve("g.conf"), "exclude dkms\n");
        List<String> warnings = new ArrayList<>();
        DepmodConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> DepmodConfigParser.load(List.of(d), warnings::add));
        assertEquals(List.of("updates"), c.search());
        assertEquals(List.of("dkms"), c.excludes());
        assertEquals(List.of("Directories inside directories are not supported: " + d + "/f.conf",
                fifo + ": not a regular file (a FIFO), ignored",
                zero + ": not a regular file (a character device), ignored",
                huge + ": larger than 4194304 bytes, ignored"), warnings);
    }
}
