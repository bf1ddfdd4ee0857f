package org.autoprobe.rules.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetEvaluationTest {
    private static final String PCI = "/devices/pci0000:00/0000:00:1f.3";
    private final FakeSysfs sysfs = new FakeSysfs();

    static RuleSet rules(String... lines) {
        List<String> warnings = new ArrayList<>();
        RuleSet set = UdevRulesParser.parse("t.rules", List.of(lines), warnings::add);
        assertEquals(List.of(), warnings);
        return set;
    }

    private List<List<String>> run(RuleSet set, UeventView event) {
        List<List<String>> out = new ArrayList<>();
        for (KmodLoad load : set.evaluate(event, sysfs)) {
            out.add(load.names());
        }
        return out;
    }

    private boolean fires(String condition, UeventView event) {
        return !run(rules(condition + ", RUN{builtin}+=\"kmod load x\""), event).isEmpty();
    }

    @Test
    void actionMatchesPlainAndNegated() {
        UeventView add = FakeEvent.of("add", PCI);
        assertTrue(fires("ACTION==\"add\"", add));
        assertTrue(!fires("ACTION==\"change\"", add));
        assertTrue(fires("ACTION!=\"change\"", add));
        assertTrue(!fires("ACTION!=\"add\"", add));
    }

    @Test
    void kernelIsTheLastDevpathComponentWithBangAsSlash() {
        assertTrue(fires("KERNEL==\"0000:00:1f.3\"", FakeEvent.of("add", PCI)));
        assertTrue(!fires("KERNEL==\"pci0000:00\"", FakeEvent.of("add", PCI)));
        assertTrue(fires("KERNEL==\"cciss/c0d0\"", FakeEvent.of("add", "/devices/x/block/cciss!c0d0")));
        assertTrue(fires("DEVPATH==\"/devices/pci*\"", FakeEvent.of("add", PCI)));
        assertTrue(!fires("DEVPATH==\"0000:00:1f.3\"", FakeEvent.of("add", PCI)));
    }

    @Test
    void globsAreFnmatchAndAlternativesSplitAtBar() {
        UeventView e = FakeEvent.of("add", "/devices/virtual/mtd/mtd3ro");
        assertTrue(fires("KERNEL==\"mtd*ro\"", e));
        assertTrue(fires("KERNEL==\"mtd[0-9]ro\"", e));
        assertTrue(fires("KERNEL==\"mtd?ro\"", e));
        assertTrue(!fires("KERNEL==\"mtd*rw\"", e));
        assertTrue(!fires("KERNEL==\"MTD*RO\"", e));
        assertTrue(fires("KERNEL==\"sda|mtd3ro\"", e));
        assertTrue(fires("KERNEL==\"sd*|mtd*\"", e));
        assertTrue(!fires("KERNEL!=\"sd*|mtd*\"", e));
        assertTrue(fires("KERNEL!=\"sd*|hd*\"", e));
        // without a glob character a backslash is an ordinary character; with one it escapes
        assertTrue(fires("KERNEL==\"a\\b\"", FakeEvent.of("add", "/devices/a\\b")));
        assertTrue(!fires("KERNEL==\"a\\b*\"", FakeEvent.of("add", "/devices/a\\b")));
        assertTrue(fires("KERNEL==\"a\\b*\"", FakeEvent.of("add", "/devices/ab")));
    }

    @Test
    void emptyValuesAndEmptyAlternativesMatchMissingProperties() {
        UeventView e = FakeEvent.of("add", PCI, "DEVTYPE", "usb_device");
        assertTrue(fires("ENV{ID}==\"\"", e));
        assertTrue(!fires("ENV{DEVTYPE}==\"\"", e));
        assertTrue(fires("ENV{ID}==\"|foo\"", e));
        assertTrue(fires("ENV{ID}==\"foo|\"", e));
        assertTrue(fires("ENV{ID}==\"a||b\"", e));
        assertTrue(!fires("ENV{ID}==\"a|b\"", e));
        assertTrue(fires("ENV{ID}!=\"a|b\"", e));
        assertTrue(fires("ENV{DEVTYPE}==\"?*\"", e));
        assertTrue(!fires("ENV{ID}==\"?*\"", e));
        assertTrue(fires("ENV{ID}!=\"?*\"", e));
        assertTrue(fires("ENV{DEVTYPE}==\"usb_*|x\"", e));
    }

    @Test
    void subsystemValueSubsystemMeansAnyOfSubsystemClassBus() {
        assertTrue(fires("SUBSYSTEM==\"subsystem\"", FakeEvent.of("add", "/bus/pci", "SUBSYSTEM", "bus")));
        assertTrue(fires("SUBSYSTEM==\"subsystem\"", FakeEvent.of("add", "/class/net", "SUBSYSTEM", "class")));
        assertTrue(!fires("SUBSYSTEM==\"subsystem\"", FakeEvent.of("add", PCI, "SUBSYSTEM", "pci")));
        assertTrue(fires("SUBSYSTEM==\"pci\"", FakeEvent.of("add", PCI, "SUBSYSTEM", "pci")));
        assertTrue(fires("SUBSYSTEM==\"\"", FakeEvent.of("add", PCI)));
    }

    @Test
    void caseInsensitivePrefix() {
        UeventView e = FakeEvent.of("add", PCI, "ID_VENDOR", "Intel");
        assertTrue(fires("ENV{ID_VENDOR}==i\"INTEL\"", e));
        assertTrue(fires("ENV{ID_VENDOR}==i\"in*|amd\"", e));
        assertTrue(!fires("ENV{ID_VENDOR}==\"INTEL\"", e));
        assertTrue(fires("ENV{ID_VENDOR}!=i\"amd\"", e));
    }

    @Test
    void driverComesFromTheEventOrElseTheSysfsLink() {
        assertTrue(fires("DRIVER==\"e1000e\"", FakeEvent.of("bind", PCI, "DRIVER", "e1000e")));
        assertTrue(!fires("DRIVER==\"e1000e\"", FakeEvent.of("add", PCI)));
        sysfs.value(PCI + "/driver", "e1000e");
        assertTrue(fires("DRIVER==\"e1000e\"", FakeEvent.of("add", PCI)));
        assertTrue(fires("DRIVER==\"\"", FakeEvent.of("add", "/devices/other")));
    }

    @Test
    void attrReadsTheDeviceFileTrimmedAndFailsWhenMissing() {
        sysfs.value(PCI + "/vendor", "0x8086  ").value(PCI + "/class", "0x0c0500");
        UeventView e = FakeEvent.of("add", PCI);
        assertTrue(fires("ATTR{vendor}==\"0x8086\"", e));
        assertTrue(!fires("ATTR{vendor}==\"0x8086 \"", e), "a value ending in a space is compared untrimmed");
        assertTrue(fires("ATTR{vendor}==\"0x8086  \"", e));
        assertTrue(fires("ATTR{class}==\"0x0c05*\"", e));
        assertTrue(fires("ATTR{vendor}!=\"0x10de\"", e));
        assertTrue(!fires("ATTR{missing}!=\"x\"", e), "an unreadable attribute fails whatever the operator");
        assertTrue(!fires("ATTR{missing}==\"\"", e));
    }

    @Test
    void attrOfAnotherDeviceBySubsystemAndName() {
        sysfs.device("module", "sg", "/module/sg").value("/module/sg/refcnt", "0");
        UeventView e = FakeEvent.of("add", PCI);
        assertTrue(fires("ATTR{[module/sg]refcnt}==\"0\"", e));
        assertTrue(fires("ATTR{[module/sg]/refcnt}==\"0\"", e));
        assertTrue(fires("ATTR{[module/sg]missing}==\"\"", e), "a missing file of a found device reads empty");
        assertTrue(!fires("ATTR{[module/xx]refcnt}!=\"1\"", e), "a missing device fails");
    }

    @Test
    void testChecksExistenceAndMode() {
        sysfs.device("module", "sg", "/module/sg");
        sysfs.file(PCI + "/driver", 0120777).file(PCI + "/remove", 0100200).file("/lib/firmware/x.bin", 0100644);
        UeventView e = FakeEvent.of("add", PCI);
        assertTrue(fires("TEST==\"[module/sg]\"", e));
        assertTrue(!fires("TEST!=\"[module/sg]\"", e));
        assertTrue(fires("TEST!=\"[module/sr_mod]\"", e));
        assertTrue(fires("TEST==\"driver\"", e));
        assertTrue(!fires("TEST==\"power\"", e));
        assertTrue(fires("TEST{0200}==\"remove\"", e));
        assertTrue(!fires("TEST{0444}==\"remove\"", e));
        assertTrue(fires("TEST{0444}!=\"remove\"", e));
        assertTrue(fires("TEST==\"/lib/firmware/x.bin\"", e));
    }

    @Test
    void allConditionsMustHold() {
        RuleSet set = rules("SUBSYSTEM==\"tifm\", ENV{TIFM_CARD_TYPE}==\"SD\", RUN{builtin}+=\"kmod load tifm_sd\"");
        assertEquals(List.of(List.of("tifm_sd")),
                run(set, FakeEvent.of("add", "/devices/t", "SUBSYSTEM", "tifm", "TIFM_CARD_TYPE", "SD")));
        assertEquals(List.of(), run(set, FakeEvent.of("add", "/devices/t", "SUBSYSTEM", "tifm", "TIFM_CARD_TYPE", "MS")));
        assertEquals(List.of(), run(set, FakeEvent.of("add", "/devices/t", "SUBSYSTEM", "usb", "TIFM_CARD_TYPE", "SD")));
    }

    @Test
    void gotoSkipsToTheLabelWhichIsEvaluatedItself() {
        RuleSet set = rules(
                "ACTION!=\"add\", GOTO=\"end\"",
                "RUN{builtin}+=\"kmod load a\"",
                "LABEL=\"end\", RUN{builtin}+=\"kmod load b\"",
                "RUN{builtin}+=\"kmod load c\"");
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c")), run(set, FakeEvent.of("add", PCI)));
        assertEquals(List.of(List.of("b"), List.of("c")), run(set, FakeEvent.of("remove", PCI)));
    }

    @Test
    void gotoGoesToTheFirstLaterLabelOfThatName() {
        RuleSet set = rules(
                "LABEL=\"x\"",
                "GOTO=\"x\"",
                "RUN{builtin}+=\"kmod load skipped\"",
                "LABEL=\"x\"",
                "RUN{builtin}+=\"kmod load after\"",
                "LABEL=\"x\"");
        assertEquals(List.of(List.of("after")), run(set, FakeEvent.of("add", PCI)));
    }

    @Test
    void runOperators() {
        RuleSet set = rules(
                "RUN{builtin}+=\"kmod load a\"",
                "ENV{X}==\"1\", RUN{builtin}=\"kmod load b\"",
                "ENV{Y}==\"1\", RUN{builtin}:=\"kmod load c\"",
                "RUN{builtin}+=\"kmod load d\"");
        assertEquals(List.of(List.of("a"), List.of("d")), run(set, FakeEvent.of("add", PCI)));
        assertEquals(List.of(List.of("b"), List.of("d")), run(set, FakeEvent.of("add", PCI, "X", "1")));
        assertEquals(List.of(List.of("c")), run(set, FakeEvent.of("add", PCI, "Y", "1")));
    }

    @Test
    void kmodLoadArgumentsAndSubstitutions() {
        RuleSet set = rules(
                "RUN{builtin}+=\"kmod load\"",
                "RUN{builtin}+=\"kmod load $env{MODALIAS}\"",
                "RUN{builtin}+=\"kmod load %E{MODALIAS} two 'three four'\"",
                "RUN{builtin}+=\"kmod load $kernel-%n $env{NOPE}\"",
                "RUN{builtin}+=\"kmod load $$x %%y $unknown\"");
        UeventView e = FakeEvent.of("add", "/devices/platform/serial8250/tty/ttyS12", "MODALIAS", "platform:serial8250");
        assertEquals(List.of(List.of(), List.of("platform:serial8250"),
                List.of("platform:serial8250", "two", "three four"), List.of("ttyS12-12"),
                List.of("$x", "%y", "$unknown")), run(set, e));
        List<KmodLoad> loads = set.evaluate(e, sysfs);
        assertTrue(loads.get(0).usesModalias());
        assertEquals(List.of("platform:serial8250"), loads.get(0).targets(e));
        assertEquals(List.of(), loads.get(0).targets(FakeEvent.of("add", PCI)));
    }

    @Test
    void constantCommandsAreSharedAndQuietEventsAllocateNoList() {
        RuleSet set = rules("ACTION==\"add\", RUN{builtin}+=\"kmod load sg\"");
        List<KmodLoad> first = set.evaluate(FakeEvent.of("add", PCI), sysfs);
        List<KmodLoad> second = set.evaluate(FakeEvent.of("add", PCI), sysfs);
        assertSame(first.get(0), second.get(0));
        assertSame(List.of(), set.evaluate(FakeEvent.of("remove", PCI), sysfs));
    }

    @Test
    void aReusedRunListIsEmptiedFirstAndGetsWhatTheReturnedOneHas() {
        RuleSet set = rules(
                "SUBSYSTEM==\"pci\", RUN{builtin}+=\"kmod load a\"",
                "ENV{MODALIAS}==\"?*\", RUN{builtin}+=\"kmod load\"",
                "SUBSYSTEM==\"usb\", RUN{builtin}=\"kmod load b\"",
                "ENV{FINAL}==\"1\", RUN{builtin}:=\"kmod load c\"",
                "RUN{builtin}+=\"kmod load $kernel\"");
        List<UeventView> events = List.of(
                FakeEvent.of("add", PCI, "SUBSYSTEM", "pci", "MODALIAS", "pci:v1"),
                FakeEvent.of("add", "/devices/usb1/1-1", "SUBSYSTEM", "usb", "MODALIAS", "usb:v2"),
                FakeEvent.of("add", "/devices/x/y", "FINAL", "1"),
                FakeEvent.of("remove", "/devices/virtual/z", "SUBSYSTEM", "misc"));
        List<KmodLoad> reused = new ArrayList<>(List.of(KmodLoad.MODALIAS, KmodLoad.MODALIAS));
        for (UeventView e : events) {
            set.evaluate(e, sysfs, reused);
            assertEquals(set.evaluate(e, sysfs), reused, e.devpath());
        }
        assertEquals(List.of(new KmodLoad(List.of("z"))), reused);
    }

    @Test
    void sysfsIsOnlyReadWhenEarlierKeysHold() {
        RuleSet set = rules("TEST!=\"[module/sg]\", SUBSYSTEM==\"scsi\", RUN{builtin}+=\"kmod load sg\"");
        set.evaluate(FakeEvent.of("add", PCI, "SUBSYSTEM", "pci"), sysfs);
        assertEquals(0, sysfs.reads, "TEST is evaluated after SUBSYSTEM, as udev orders keys");
        assertEquals(1, set.evaluate(FakeEvent.of("add", PCI, "SUBSYSTEM", "scsi"), sysfs).size());
    }

    @Test
    void concatenatedFilesKeepTheirOwnJumps() {
        RuleSet a = rules("GOTO=\"end\"", "RUN{builtin}+=\"kmod load a\"", "LABEL=\"end\"");
        RuleSet b = rules("RUN{builtin}+=\"kmod load b\"", "GOTO=\"end\"", "RUN{builtin}+=\"kmod load c\"",
                "LABEL=\"end\"", "RUN{builtin}+=\"kmod load d\"");
        RuleSet both = RuleSet.concat(List.of(a, b));
        assertEquals(8, both.size());
        assertEquals(List.of(List.of("b"), List.of("d")), run(both, FakeEvent.of("add", PCI)));
    }

    @Test
    void aTraceNamesEveryLineThatAppliedAndWhatItDid() {
        RuleSet set = rules(
                "ACTION==\"add\", RUN{builtin}+=\"kmod load a\"",
                "ACTION==\"change\", RUN{builtin}+=\"kmod load never\"",
                "ACTION==\"add\", RUN{builtin}:=\"kmod load $env{MODALIAS}\", GOTO=\"end\"",
                "RUN{builtin}+=\"kmod load skipped\"",
                "LABEL=\"end\", RUN{builtin}+=\"kmod load late\"");
        UeventView e = FakeEvent.of("add", PCI, "MODALIAS", "pci:v1");
        List<RuleSet.Match> matches = new ArrayList<>();
        List<KmodLoad> loads = set.trace(e, sysfs, matches);
        assertEquals(set.evaluate(e, sysfs), loads, "a trace decides as evaluate does");
        assertEquals(List.of(
                new RuleSet.Match("t.rules:1", List.of("RUN{builtin}+=\"kmod load a\"")),
                new RuleSet.Match("t.rules:3", List.of("RUN{builtin}:=\"kmod load pci:v1\"", "GOTO=\"end\"")),
                new RuleSet.Match("t.rules:5", List.of("RUN{builtin}+= (ignored: an earlier := froze the list)"))),
                matches);
    }
}
