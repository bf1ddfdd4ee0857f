package org.autoprobe.rules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.config.ModprobeConfig.Options;
import org.autoprobe.core.config.ModprobeConfig.WeakDep;
import org.autoprobe.rules.files.HostileFiles;
import org.autoprobe.rules.files.ReadProblems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixture root trees built in a temporary directory: which files kmod reads and in which order. */
class ModprobeConfigLoaderTest {
    @TempDir
    Path root;

    private final List<String> warnings = new ArrayList<>();

    private Path write(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private ModprobeConfig load(List<Path> paths, Path moduleDir, String cmdline) {
        return ModprobeConfigLoader.load(paths, moduleDir, Optional.ofNullable(cmdline), warnings::add);
    }

    private static List<String> optionModules(ModprobeConfig c) {
        return c.options().stream().map(Options::module).toList();
    }

    @Test
    void defaultPathsAreKmod30s() {
        assertEquals(List.of(Path.of("/etc/modprobe.d"), Path.of("/run/modprobe.d"),
                Path.of("/usr/local/lib/modprobe.d"), Path.of("/lib/modprobe.d")),
                ModprobeConfigLoader.defaultConfigPaths());
    }

    @Test
    void filesOfAllDirectoriesAreReadSortedByNameAndEarlierDirectoriesShadowLaterOnes() throws IOException {
        write("etc/modprobe.d/b.conf", "options etc_b x\n");
        write("etc/modprobe.d/z.conf", "options etc_z x\n");
        write("run/modprobe.d/a.conf", "options run_a x\n");
        write("run/modprobe.d/b.conf", "options run_b_shadowed x\n");
        write("lib/modprobe.d/c.conf", "options lib_c x\n");
        write("lib/modprobe.d/z.conf", "options lib_z_shadowed x\n");
        ModprobeConfig c = load(List.of(root.resolve("etc/modprobe.d"), root.resolve("run/modprobe.d"),
                root.resolve("usr/local/lib/modprobe.d"), root.resolve("lib/modprobe.d")), null, null);
        assertEquals(List.of("run_a", "etc_b", "lib_c", "etc_z"), optionModules(c));
        assertEquals(List.of(), warnings);
    }

    @Test
    void modulesSoftdepIsSortedInByItsNameAndShadowsASameNamedSingleFile() throws IOException {
        Path moddir = root.resolve("lib/modules/1.0");
        write("lib/modules/1.0/modules.softdep", "# from modules\nsoftdep ext4 pre: crc32c\noptions from_softdep x\n");
        write("d/aliases.conf", "options aliases x\n");
        write("d/systemd.conf", "options systemd x\n");
        write("d/modules.conf", "options modules_conf x\n");
        Path single = write("other/modules.softdep", "options single_shadowed x\n");
        ModprobeConfig c = load(List.of(root.resolve("d"), single), moddir, null);
        assertEquals(List.of("aliases", "modules_conf", "from_softdep", "systemd"), optionModules(c));
        assertEquals("ext4", c.softdeps().get(0).module());
    }

    /** kmod 34, libkmod-config.c kmod_config_new: modules.weakdep is listed right after modules.softdep. */
    @Test
    void modulesWeakdepIsSortedInByItsNameAfterModulesSoftdep() throws IOException {
        Path moddir = root.resolve("lib/modules/1.0");
        write("lib/modules/1.0/modules.softdep", "options from_softdep x\n");
        write("lib/modules/1.0/modules.weakdep",
                "# Weak dependencies extracted from modules themselves.\nweakdep mod_a mod-b\noptions from_weakdep x\n");
        write("d/modules.conf", "options modules_conf x\n");
        write("d/modules.t.conf", "options modules_t x\nweakdep mod-a other\n");
        write("d/modules.x.conf", "options modules_x x\n");
        Path single = write("other/modules.weakdep", "options single_shadowed x\n");
        ModprobeConfig c = load(List.of(root.resolve("d"), single), moddir, null);
        assertEquals(List.of("modules_conf", "from_softdep", "modules_t", "from_weakdep", "modules_x"),
                optionModules(c));
        assertEquals(List.of(new WeakDep("mod_a", List.of("other")), new WeakDep("mod_a", List.of("mod-b"))),
                c.weakdeps());
        assertEquals(List.of(), warnings);
    }

    @Test
    void onlyConfAndAliasFilesNotHiddenAreRead() throws IOException {
        write("d/a.conf", "options a x\n");
        write("d/b.alias", "options b x\n");
        write("d/.c.conf", "options hidden x\n");
        write("d/d.cfg", "options cfg x\n");
        write("d/e.conf.bak", "options bak x\n");
        write("d/sub.conf/f.conf", "options nested x\n");
        ModprobeConfig c = load(List.of(root.resolve("d")), null, null);
        assertEquals(List.of("a", "b"), optionModules(c));
        assertEquals(List.of("directories inside configuration directories are not supported, skipping "
                + root.resolve("d") + "/sub.conf"), warnings);
    }

    @Test
    void aSingleFileCountsUnderItsOwnNameWhateverItEndsWith() throws IOException {
        write("d/m.conf", "options m x\n");
        Path single = write("x/b-settings", "options single x\n");
        ModprobeConfig c = load(List.of(single, root.resolve("d"), root.resolve("missing")), null, null);
        assertEquals(List.of("single", "m"), optionModules(c));
        assertEquals(List.of(), warnings);
    }

    @Test
    void missingModulesSoftdepAndBrokenLinksAreSkippedSilently() throws IOException {
        write("d/a.conf", "blacklist a\n");
        Files.createSymbolicLink(root.resolve("d/b.conf"), root.resolve("nowhere"));
        ModprobeConfig c = load(List.of(root.resolve("d")), root.resolve("lib/modules/none"), null);
        assertEquals(List.of("a"), c.blacklist());
        assertEquals(List.of(), warnings);
    }

    @Test
    void warningsNameTheFileAsPathSlashName() throws IOException {
        write("d/a.conf", "blacklist a\nbogus line\n");
        load(List.of(root.resolve("d")), null, null);
        assertEquals(List.of(root.resolve("d") + "/a.conf:2: ignoring bad line starting with 'bogus'"), warnings);
    }

    @Test
    void kernelCommandLineComesAfterAllFiles() throws IOException {
        write("d/a.conf", "options snd-hda index=1\nblacklist floppy\n");
        write("d/z.conf", "options later y=2\n");
        ModprobeConfig c = load(List.of(root.resolve("d")), null, "snd_hda.model=x modprobe.blacklist=pcspkr\n");
        assertEquals(List.of(new Options("snd_hda", "index=1"), new Options("later", "y=2"),
                new Options("snd_hda", "model=x")), c.options());
        assertEquals(List.of("floppy", "pcspkr"), c.blacklist());
    }

    @Test
    void emptyPathListMeansTheDefaults() {
        // whatever this machine has there: the same as asking for the defaults by name
        List<String> w1 = new ArrayList<>();
        List<String> w2 = new ArrayList<>();
        ModprobeConfig byDefault = ModprobeConfigLoader.load(List.of(), null, Optional.empty(), w1::add);
        ModprobeConfig named = ModprobeConfigLoader.load(ModprobeConfigLoader.defaultConfigPaths(), null,
                Optional.empty(), w2::add);
        assertEquals(named, byDefault);
        assertEquals(w2, w1);
    }

    @Test
    void aFifoALinkToDevZeroAHugeFileAndADirectoryEachGiveOneMessageAndTheRestIsRead() throws Exception {
        write("d/a.conf", "options a x\n");
        Path fifo = HostileFiles.fifo(root.resolve("d/b.conf"));
        Path zero = HostileFiles.endless(root.resolve("d/c.conf"));
        Path huge = HostileFiles.huge(root.resolve("d/e.conf"));
        HostileFiles.directory(root.resolve("d/f.conf"));
        write("d/g.conf", "options g x\n");
        ModprobeConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> load(List.of(root.resolve("d")), null, null));
        assertEquals(List.of("a", "g"), optionModules(c));
        assertEquals(List.of("directories inside configuration directories are not supported, skipping "
                        + root.resolve("d") + "/f.conf",
                fifo + ": not a regular file (a FIFO), ignored",
                zero + ": not a regular file (a character device), ignored",
                huge + ": larger than 4194304 bytes, ignored"), warnings);
    }

    @Test
    void aDeviceOrFifoGivenAsTheConfigurationIsSkippedWithOneMessage() throws Exception {
        Path fifo = HostileFiles.fifo(root.resolve("x/fifo"));
        ModprobeConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> load(List.of(Path.of("/dev/zero"), fifo), null, "m.p=1"));
        assertEquals(List.of("m"), optionModules(c), "the command line is still read");
        assertEquals(List.of(fifo + ": not a regular file (a FIFO), ignored", // sorted by name, as kmod
                "/dev/zero: not a regular file (a character device), ignored"), warnings);
    }

    @Test
    void aListedFileGoneWhenReadIsUnreadableAMissingSoftdepIsNothing() throws IOException {
        write("d/a.conf", "options a x\n");
        List<String> unreadable = new ArrayList<>();
        ReadProblems sink = new ReadProblems() {
            @Override
            public void accept(String w) {
                warnings.add(w);
            }

            @Override
            public void unreadable(String w) {
                unreadable.add(w);
            }
        };
        Path gone = root.resolve("d/b.conf");
        List<ConfigFiles.ConfigFile> files = ConfigFiles.list(List.of(root.resolve("d")), root.resolve("no-moddir"), sink);
        ModprobeConfig c = ModprobeConfigLoader.load(List.of(root.resolve("d")), root.resolve("no-moddir"),
                Optional.empty(), sink);
        assertEquals(List.of("a"), optionModules(c));
        assertEquals(List.of(), unreadable);
        assertEquals(List.of(), warnings);
        // a file seen in the listing and gone when read: a race with whoever edits the directory
        ConfigFiles.ConfigFile listed = new ConfigFiles.ConfigFile("b.conf", gone, gone.toString(), true);
        assertEquals(3, files.size(), "modules.softdep, modules.weakdep, a.conf");
        assertEquals(java.util.Optional.empty(), org.autoprobe.rules.files.ConfigFileReader.read(listed.path(),
                listed.shownAs(), org.autoprobe.rules.files.ConfigFileReader.IfMissing.VANISHED, sink));
        assertEquals(List.of(gone + ": gone before it could be read"), unreadable);
    }

    @Test
    void aTracedLoadKeepsTheFileAndLineOfEveryDirective() throws IOException {
        Path dir = root.resolve("etc/modprobe.d");
        write("etc/modprobe.d/a.conf", "# comment\nblacklist pcspkr\noptions e1000 debug=1\\\n  more=2\nalias pci:v1* foo-bar\n");
        write("etc/modprobe.d/b.conf", "install snd_pcsp /bin/true\nsoftdep ext4 pre: crc32c\nweakdep e1000 ptp\nremove x /bin/false\n");
        ModprobeConfigLoader.Traced t = ModprobeConfigLoader.loadTraced(List.of(dir), null,
                Optional.of("modprobe.blacklist=floppy e1000.copybreak=0"), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(load(List.of(dir), null, "modprobe.blacklist=floppy e1000.copybreak=0"), t.config(),
                "tracing changes nothing of the configuration");
        String a = dir.resolve("a.conf").toString();
        String b = dir.resolve("b.conf").toString();
        assertEquals(List.of(
                new ConfigLine("blacklist", "pcspkr", "", a + ":2"),
                new ConfigLine("options", "e1000", "debug=1  more=2", a + ":4"), // a continued line: its last line, as kmod counts
                new ConfigLine("alias", "foo_bar", "pci:v1*", a + ":5"),
                new ConfigLine("install", "snd_pcsp", "/bin/true", b + ":1"),
                new ConfigLine("softdep", "ext4", "pre: crc32c", b + ":2"),
                new ConfigLine("weakdep", "e1000", "ptp", b + ":3"),
                new ConfigLine("remove", "x", "/bin/false", b + ":4"),
                new ConfigLine("blacklist", "floppy", "", "kernel command line"),
                new ConfigLine("options", "e1000", "copybreak=0", "kernel command line")), t.lines());
    }
}
