package org.autoprobe.daemon.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.core.testing.SysTree;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;
import org.autoprobe.rules.udev.UdevRulesLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainerTest {
    @TempDir
    Path root;
    Path sys;
    Path modDir;
    Path conf;
    Path rules;

    @BeforeEach
    void tree() throws IOException {
        sys = root.resolve("sys");
        modDir = root.resolve("lib/modules/9.9.9-test");
        conf = root.resolve("modprobe.d");
        rules = root.resolve("rules.d");
        Files.createDirectories(modDir);
        Files.createDirectories(conf);
        Files.createDirectories(rules);
        Files.writeString(modDir.resolve("modules.alias"), "# Aliases extracted from modules themselves.\n"
                + "alias pci:v00008086d0000100Esv*sd*bc*sc*i* e1000\n"
                + "alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139cp\n"
                + "alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139too\n", StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("local.conf"), "# site settings\n"
                + "blacklist 8139cp\n"
                + "options e1000 debug=2\n"
                + "alias acpi:FOO0001:* missing_driver\n"
                + "softdep e1000 pre: crc32c\n"
                + "install snd_pcsp /bin/true\n", StandardCharsets.UTF_8);
        Files.writeString(rules.resolve("90-local.rules"), "# no loads for this one\n"
                + "SUBSYSTEM==\"pci\", ATTR{vendor}==\"0x10ec\", RUN{builtin}+=\"kmod load sctp\"\n",
                StandardCharsets.UTF_8);
        device("/devices/pci0000:00/0000:00:03.0", "pci", "MODALIAS=pci:v000010ECd00008139sv0sd0bc02sc00i00\n");
        Files.writeString(sys.resolve("devices/pci0000:00/0000:00:03.0/vendor"), "0x10ec\n");
        device("/devices/pci0000:00/0000:00:04.0", "pci", "DRIVER=e1000\nMODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00\n");
        device("/devices/platform/serial8250", "platform", "MODALIAS=platform:serial8250\n");
        // e1000 is live and drives 0000:00:04.0
        Path e1000 = sys.resolve("module/e1000");
        Files.createDirectories(e1000.resolve("holders"));
        Files.writeString(e1000.resolve("initstate"), "live\n");
        Files.writeString(e1000.resolve("refcnt"), "0\n");
        Path drv = sys.resolve("bus/pci/drivers/e1000");
        Files.createDirectories(drv);
        Files.createSymbolicLink(drv.resolve("module"), drv.relativize(e1000));
        Path dev = sys.resolve("devices/pci0000:00/0000:00:04.0");
        Files.createSymbolicLink(drv.resolve("0000:00:04.0"), drv.relativize(dev));
        Files.createSymbolicLink(dev.resolve("driver"), dev.relativize(drv));
        Files.createDirectories(e1000.resolve("drivers"));
        Files.createSymbolicLink(e1000.resolve("drivers/pci:e1000"), e1000.resolve("drivers").relativize(drv));
        // ext4 is built in
        Files.createDirectories(sys.resolve("module/ext4"));
    }

    private void device(String devpath, String subsystem, String uevent) throws IOException {
        new SysTree(root).device(devpath, subsystem, uevent);
    }

    private Explainer explainer(Explainer.History history) {
        InMemoryDatabase index = new InMemoryDatabase(modDir).module("kernel/e1000.ko").module("kernel/8139cp.ko")
                .module("kernel/8139too.ko").module("kernel/crc32c.ko").module("kernel/sctp.ko").module("kernel/snd-pcsp.ko")
                .alias("pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000").alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too").builtin("ext4");
        ModprobeConfigLoader.Traced config = ModprobeConfigLoader.loadTraced(List.of(conf), null, Optional.empty(),
                w -> { throw new AssertionError(w); });
        Resolver resolver = new Resolver(index, config.config(), new SysfsModuleState(sys));
        return new Explainer(resolver, config.lines(), UdevRulesLoader.loadWithDefaults(List.of(rules),
                w -> { throw new AssertionError(w); }), modDir, sys, new SysfsModuleState(sys), history);
    }

    @Test
    void aDeviceWithABlacklistedModuleAndARuleOfItsOwn() {
        List<String> out = explainer(Explainer.History.NONE).explain("/sys/devices/pci0000:00/0000:00:03.0");
        String conf = this.conf.resolve("local.conf").toString();
        assertEquals(List.of(
                "device /devices/pci0000:00/0000:00:03.0",
                "  subsystem pci",
                "  driver - (none bound)",
                "  uevent MODALIAS=pci:v000010ECd00008139sv0sd0bc02sc00i00",
                "rules (an add event of this device)",
                "  classpath:80-autoprobe-drivers.rules:15 RUN{builtin}+=\"kmod load\"",
                "  " + rules.resolve("90-local.rules") + ":2 RUN{builtin}+=\"kmod load sctp\""), out.subList(0, 7));
        assertTrue(out.contains("lookup sctp"), out.toString());
        assertTrue(out.contains("module sctp: would-load"), out.toString());
        assertTrue(out.contains("lookup pci:v000010ECd00008139sv0sd0bc02sc00i00"), out.toString());
        assertTrue(out.contains("  matches alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139cp (modules.alias:3)"), out.toString());
        assertTrue(out.contains("module 8139cp: blacklisted"), out.toString());
        assertTrue(out.contains("  blacklisted by " + conf + ":2"), out.toString());
        assertTrue(out.contains("module 8139too: would-load"), out.toString());
        assertFalse(out.stream().anyMatch(l -> l.startsWith("  load 1: insmod") && l.contains("8139cp")),
                "a blacklisted module has no load order: " + out);
    }

    @Test
    void aBoundDeviceItsOptionsSoftdepAndLoadOrder() {
        List<String> out = explainer(Explainer.History.NONE).explain("/devices/pci0000:00/0000:00:04.0");
        String conf = this.conf.resolve("local.conf").toString();
        assertTrue(out.contains("  driver e1000 (module e1000)"), out.toString());
        assertTrue(out.contains("module e1000: loaded"), out.toString());
        assertTrue(out.contains("  options debug=2 (" + conf + ":3)"), out.toString());
        assertTrue(out.contains("  softdep pre: crc32c (" + conf + ":5)"), out.toString());
        assertTrue(out.contains("  load 1: insmod " + modDir.resolve("kernel/crc32c.ko")), out.toString());
        assertTrue(out.contains("  load 2: insmod " + modDir.resolve("kernel/e1000.ko") + " debug=2"), out.toString());
        assertTrue(out.contains("  kernel: live, used by 0, drives /devices/pci0000:00/0000:00:04.0"), out.toString());
    }

    @Test
    void eachReasonInWords() {
        Explainer e = explainer(Explainer.History.NONE);
        String conf = this.conf.resolve("local.conf").toString();
        List<String> none = e.explain("/devices/platform/serial8250");
        assertTrue(none.contains("lookup platform:serial8250"), none.toString());
        assertTrue(none.stream().anyMatch(l -> l.startsWith("  no-match: ")), none.toString());
        List<String> missing = e.explain("acpi:FOO0001:");
        assertEquals("  matches alias acpi:FOO0001:* missing_driver (" + conf + ":4)", missing.get(1));
        assertEquals("module missing_driver: alias-to-missing", missing.get(2));
        List<String> ext4 = e.explain("ext4");
        assertEquals("module ext4: built-in", ext4.get(0));
        assertTrue(ext4.contains("  kernel: builtin"), ext4.toString());
        List<String> pcsp = e.explain("snd-pcsp");
        assertEquals("module snd_pcsp: install-command", pcsp.get(0));
        assertTrue(pcsp.contains("  install /bin/true (" + conf + ":6)"), pcsp.toString());
        assertTrue(pcsp.contains("  wanted by no device present (loaded by hand, by another module's dependency, or by a name: see holders)"),
                pcsp.toString());
    }

    @Test
    void aModuleSaysWhichDeviceWantsItAndWhatTheDaemonDid() {
        List<String> out = explainer(m -> m.equals("sctp") ? Optional.of("loaded for /devices/pci0000:00/0000:00:03.0")
                : Optional.empty()).explain("sctp");
        assertEquals("module sctp: would-load", out.get(0));
        assertTrue(out.contains("  autoprobe: loaded for /devices/pci0000:00/0000:00:03.0"), out.toString());
        assertTrue(out.contains("  wanted by /devices/pci0000:00/0000:00:03.0 (sctp)"), out.toString());
    }

    @Test
    void longModaliasesAreCut() {
        String cpu = "cpu:type:x86,ven0000fam0006mod003F:feature:," + "0000,".repeat(300);
        assertEquals(80, Explainer.shorten(cpu).length());
        assertTrue(Explainer.shorten(cpu).endsWith("..."));
        assertEquals("pci:v1", Explainer.shorten("pci:v1"));
    }
}
