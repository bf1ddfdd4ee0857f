package org.autoprobe.rules.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.autoprobe.rules.files.HostileFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdevRulesLoaderTest {
    @TempDir
    Path tmp;
    private final List<String> warnings = new ArrayList<>();
    private static final UeventView ADD = FakeEvent.of("add", "/devices/d", "MODALIAS", "pci:v1");

    private Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private static String load(String module) {
        return "RUN{builtin}+=\"kmod load " + module + "\"\n";
    }

    private List<List<String>> run(RuleSet set) {
        List<List<String>> out = new ArrayList<>();
        set.evaluate(ADD, new FakeSysfs()).forEach(l -> out.add(l.names()));
        return out;
    }

    @Test
    void filesRunInNameOrderAndEarlierDirectoriesShadowLaterOnes() throws IOException {
        Path etc = dir("etc");
        Path lib = dir("lib");
        write(lib, "10-a.rules", load("lib_a"));
        write(lib, "20-b.rules", load("lib_b"));
        write(etc, "20-b.rules", load("etc_b"));
        write(etc, "15-c.rules", load("etc_c"));
        write(lib, "30-d.rules", load("lib_d"));
        RuleSet set = UdevRulesLoader.load(List.of(etc, lib, tmp.resolve("missing")), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(List.of(List.of("lib_a"), List.of("etc_c"), List.of("etc_b"), List.of("lib_d")), run(set));
        assertEquals(etc.resolve("20-b.rules") + ":1", set.origins().get(2));
    }

    @Test
    void onlyVisibleRulesFilesCountAndEmptyOrDevNullMasks() throws IOException {
        Path etc = dir("etc");
        Path lib = dir("lib");
        write(lib, "10-a.rules", load("a"));
        write(lib, "20-b.rules", load("b"));
        write(lib, "30-c.rules", load("c"));
        write(etc, "10-a.rules", "");
        Files.createSymbolicLink(etc.resolve("20-b.rules"), Path.of("/dev/null"));
        write(etc, ".40-hidden.rules", load("hidden"));
        write(etc, "50-e.rules.bak", load("bak"));
        write(etc, "50-e.conf", load("conf"));
        Files.createDirectories(etc.resolve("60-dir.rules"));
        RuleSet set = UdevRulesLoader.load(List.of(etc, lib), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(List.of(List.of("c")), run(set));
    }

    @Test
    void byteOrderAndLineEnds() throws IOException {
        Path d = dir("d");
        write(d, "B.rules", load("upper"));
        write(d, "a.rules", load("lower"));
        Files.write(d.resolve("c.rules"), ("ENV{MODALIAS}==\"?*\", \\\r\n  RUN{builtin}+=\"kmod load crlf\"\r"
                + load("cr").trim() + "\0" + load("nul")).getBytes(StandardCharsets.UTF_8));
        RuleSet set = UdevRulesLoader.load(List.of(d), warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(List.of(List.of("upper"), List.of("lower"), List.of("crlf"), List.of("cr"), List.of("nul")),
                run(set));
        assertEquals(d.resolve("c.rules") + ":2", set.origins().get(2));
    }

    @Test
    void warningsNameTheFileAndLine() throws IOException {
        Path d = dir("d");
        write(d, "10-x.rules", "# ok\n" + load("a") + "NAME=\"eth0\", KERNEL==\"x\"\n");
        UdevRulesLoader.load(List.of(d), warnings::add);
        assertEquals(List.of(d.resolve("10-x.rules") + ":3: NAME is not supported by autoprobe, rule ignored"),
                warnings);
    }

    @Test
    void defaultsJoinInUnderTheirNameAndCanBeReplacedOrMasked() throws IOException {
        Path etc = dir("etc");
        write(etc, "90-late.rules", load("late"));
        write(etc, "10-early.rules", load("early"));
        RuleSet set = UdevRulesLoader.loadWithDefaults(List.of(etc), warnings::add);
        assertEquals(List.of(), warnings);
        List<KmodLoad> loads = set.evaluate(ADD, new FakeSysfs());
        assertEquals(List.of(new KmodLoad(List.of("early")), KmodLoad.MODALIAS, new KmodLoad(List.of("late"))), loads);
        assertTrue(set.origins().get(1).startsWith("classpath:80-autoprobe-drivers.rules:"));

        write(etc, UdevRulesLoader.DEFAULT_RULES_NAME, load("mine"));
        assertEquals(List.of(List.of("early"), List.of("mine"), List.of("late")),
                run(UdevRulesLoader.loadWithDefaults(List.of(etc), warnings::add)));
        write(etc, UdevRulesLoader.DEFAULT_RULES_NAME, "");
        assertEquals(List.of(List.of("early"), List.of("late")),
                run(UdevRulesLoader.loadWithDefaults(List.of(etc), warnings::add)));
    }

    @Test
    void realSysfsDirectoryReadsAttributesLinksAndModes() throws IOException {
        Path sys = dir("sys");
        Path dev = Files.createDirectories(sys.resolve("devices/pci0000:00/0000:00:1f.3"));
        Files.writeString(dev.resolve("vendor"), "0x8086\n");
        Files.writeString(dev.resolve("label"), "spaced  \n\n");
        Files.createDirectories(sys.resolve("bus/pci/drivers/snd_hda_intel"));
        Files.createSymbolicLink(dev.resolve("driver"), Path.of("../../../bus/pci/drivers/snd_hda_intel"));
        Files.createSymbolicLink(dev.resolve("other"), Path.of("vendor"));
        Files.createDirectories(dev.resolve("power"));
        Files.createDirectories(sys.resolve("module/sg"));
        Files.createDirectories(sys.resolve("bus/scsi/devices"));
        Files.createSymbolicLink(sys.resolve("bus/scsi/devices/0:0:0:0"), Path.of("../../../devices/pci0000:00"));
        Files.createDirectories(sys.resolve("class/net/eth0"));
        SysfsView view = SysfsView.at(sys);
        String devpath = "/devices/pci0000:00/0000:00:1f.3";
        assertEquals("0x8086", view.attribute(devpath, "vendor"));
        assertEquals("spaced  ", view.attribute(devpath, "label"));
        assertEquals("snd_hda_intel", view.attribute(devpath, "driver"));
        assertEquals(null, view.attribute(devpath, "other"));
        assertEquals(null, view.attribute(devpath, "power"));
        assertEquals(null, view.attribute(devpath, "missing"));
        assertTrue((view.mode(devpath, "vendor") & 0170000) == 0100000);
        assertTrue((view.mode(devpath, "") & 0170000) == 0040000);
        assertEquals(-1, view.mode(devpath, "missing"));
        assertTrue(view.mode(null, "/sys/module/sg") >= 0, "absolute /sys paths are inside the tree");
        assertEquals(-1, view.mode(null, "/sys/module/nope"));
        assertEquals("/module/sg", view.devpathOf("module", "sg"));
        assertEquals(null, view.devpathOf("module", "sr_mod"));
        assertEquals("/bus/scsi/devices/0:0:0:0", view.devpathOf("scsi", "0:0:0:0"));
        assertEquals("/class/net/eth0", view.devpathOf("net", "eth0"));
        assertEquals("/bus/pci/drivers/snd_hda_intel", view.devpathOf("drivers", "pci:snd_hda_intel"));
        assertEquals("/bus/pci", view.devpathOf("subsystem", "pci"));
        assertEquals(null, view.devpathOf("module", "../module/sg"));

        // an event's devpath with . or .. components never leaves the sysfs tree
        Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("secret"), "found\n");
        assertEquals("found", Files.readString(sys.resolve("devices/../../outside/secret")).strip(), "the escape exists");
        assertEquals(null, view.attribute("/devices/../../outside", "secret"));
        assertEquals(null, view.attribute("/devices/./../../outside", "secret"));
        assertEquals(-1, view.mode("/devices/../../outside", "secret"));
        assertEquals(-1, view.mode("/devices/pci0000:00/0000:00:1f.3/..", "vendor"));

        RuleSet set = RuleSetEvaluationTest.rules(
                "ATTR{vendor}==\"0x8086\", DRIVER==\"snd_hda_intel\", TEST==\"[module/sg]\", "
                        + "TEST!=\"[module/sr_mod]\", RUN{builtin}+=\"kmod load hit\"");
        assertEquals(List.of(new KmodLoad(List.of("hit"))), set.evaluate(FakeEvent.of("add", devpath), view));
    }

    @Test
    void aFifoALinkToDevZeroAndAHugeFileEachGiveOneMessageAndTheRestIsRead() throws Exception {
        Path d = dir("rules.d");
        write(d, "10-a.rules", load("a"));
        Path fifo = HostileFiles.fifo(d.resolve("20-b.rules"));
        Path zero = HostileFiles.endless(d.resolve("30-c.rules"));
        Path huge = HostileFiles.huge(d.resolve("40-e.rules"));
        write(d, "50-g.rules", load("g"));
        RuleSet set = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> UdevRulesLoader.load(List.of(d), warnings::add));
        assertEquals(List.of(List.of("a"), List.of("g")), run(set));
        assertEquals(List.of(fifo + ": not a regular file (a FIFO), ignored",
                zero + ": not a regular file (a character device), ignored",
                huge + ": larger than 4194304 bytes, ignored"), warnings);
    }
}
