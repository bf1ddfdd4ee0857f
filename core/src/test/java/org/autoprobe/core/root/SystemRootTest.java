package org.autoprobe.core.root;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemRootTest {
    @TempDir
    Path tmp;

    private static final Path CWD = Path.of("").toAbsolutePath();

    @Test
    void theHostsPaths() {
        SystemRoot host = SystemRoot.host();
        assertEquals(Path.of("/sys"), host.sys());
        assertEquals(Path.of("/proc"), host.proc());
        assertEquals(Path.of("/"), host.base());
        assertEquals(Path.of("/sys/module"), host.sysModule());
        assertEquals(Path.of("/proc/modules"), host.procModules());
        assertEquals(Path.of("/proc/cmdline"), host.cmdline());
        assertEquals(Path.of("/proc/sys/kernel/osrelease"), host.osReleaseFile());
        assertEquals("/lib/modules/6.1.0-1-amd64", host.modulesDirectoryName("6.1.0-1-amd64"));
        assertEquals(Path.of("/lib/modules/6.1.0-1-amd64"), host.modulesDirectory("6.1.0-1-amd64"));
    }

    @Test
    void aFixtureTreeHoldsEverything() {
        SystemRoot r = SystemRoot.under(tmp);
        assertEquals(tmp.resolve("sys"), r.sys());
        assertEquals(tmp.resolve("proc"), r.proc());
        assertEquals(tmp.resolve("proc/sys/kernel/osrelease"), r.osReleaseFile());
        assertEquals(tmp.resolve("proc/cmdline"), r.cmdline());
        assertEquals(tmp.resolve("lib/modules/1.0"), r.modulesDirectory("1.0"));
        assertEquals(tmp + "/lib/modules/1.0", r.modulesDirectoryName("1.0"));
    }

    @Test
    void theTwoArgumentFormKeepsModulesUnderSlash() {
        SystemRoot r = new SystemRoot(tmp.resolve("s"), tmp.resolve("p"));
        assertEquals(Path.of("/"), r.base());
        assertEquals("/lib/modules/x", r.modulesDirectoryName("x"));
    }

    @Test
    void aBaseMovesOnlyTheModuleTree() {
        SystemRoot r = SystemRoot.host().withBase(tmp);
        assertEquals(Path.of("/sys"), r.sys());
        assertEquals(Path.of("/proc"), r.proc());
        assertEquals(tmp.resolve("lib/modules/2.0"), r.modulesDirectory("2.0"));
        SystemRoot s = r.withSys(tmp.resolve("fake-sys"));
        assertEquals(tmp.resolve("fake-sys"), s.sys());
        assertEquals(tmp, s.base());
    }

    @Test
    void theBaseIsSpelledAsGivenAndSlashAsNothing() {
        SystemRoot host = SystemRoot.host();
        // "/" and "" both name the running system's tree, spelled /lib/modules/KVER (as kmod's "%s/lib/modules/%s")
        assertEquals("/lib/modules/k", host.withBase(Path.of("/")).modulesDirectoryName("k"));
        assertEquals("/lib/modules/k", host.withBase(Path.of("")).modulesDirectoryName("k"));
        assertEquals(Path.of("/lib/modules/k"), host.withBase(Path.of("")).modulesDirectory("k"));
        // a relative base stays relative in the name and is made absolute against the working directory, unnormalised
        assertEquals("tree/../x/lib/modules/k", host.withBase(Path.of("tree/../x")).modulesDirectoryName("k"));
        assertEquals(CWD.resolve("tree/../x/lib/modules/k"), host.withBase(Path.of("tree/../x")).modulesDirectory("k"));
        // the release is appended as given: a doubled slash stays in the name (Path itself folds it)
        assertEquals("/r/lib/modules//abs", host.withBase(Path.of("/r")).modulesDirectoryName("/abs"));
        assertEquals(Path.of("/r/lib/modules/abs"), host.withBase(Path.of("/r")).modulesDirectory("/abs"));
        // Path.of already folds a trailing or doubled slash in the base
        assertEquals("/r/lib/modules/k", host.withBase(Path.of("/r/")).modulesDirectoryName("k"));
        assertEquals("/r/lib/modules/k", host.withBase(Path.of("//r")).modulesDirectoryName("k"));
    }

    @Test
    void theReleaseLosesTheKernelsNewline() throws IOException {
        SystemRoot r = SystemRoot.under(tmp);
        Files.createDirectories(r.osReleaseFile().getParent());
        Files.writeString(r.osReleaseFile(), "6.1.0-18-amd64\n");
        assertEquals("6.1.0-18-amd64", r.osRelease());
        Files.writeString(r.osReleaseFile(), "6.1.0-18-amd64");
        assertEquals("6.1.0-18-amd64", r.osRelease());
        Files.writeString(r.osReleaseFile(), "");
        assertEquals("", r.osRelease());
    }

    @Test
    void theReleaseIsReadAsRawText() throws IOException {
        SystemRoot r = SystemRoot.under(tmp);
        Files.createDirectories(r.osReleaseFile().getParent());
        // UTF-8 as its characters; a byte that is not UTF-8 kept as RawText's escape, not replaced
        Files.write(r.osReleaseFile(), new byte[] {'6', '-', (byte) 0xC3, (byte) 0xA9, '-', (byte) 0xFF, '\n'});
        assertEquals("6-\u00e9-\udcff", r.osRelease());
    }

    @Test
    void aMissingReleaseFileFails() {
        SystemRoot r = SystemRoot.under(tmp);
        assertThrows(NoSuchFileException.class, r::osRelease);
    }

    @Test
    void nothingIsNull() {
        assertThrows(NullPointerException.class, () -> new SystemRoot(null, Path.of("/proc"), Path.of("/")));
        assertThrows(NullPointerException.class, () -> new SystemRoot(Path.of("/sys"), null, Path.of("/")));
        assertThrows(NullPointerException.class, () -> new SystemRoot(Path.of("/sys"), Path.of("/proc"), null));
    }
}
