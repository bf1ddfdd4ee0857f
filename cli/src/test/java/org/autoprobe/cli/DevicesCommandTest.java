package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.testing.SysTree;
import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesCommandTest {
    @TempDir
    Path tmp;
    Path sys;
    Path root;
    Path conf;

    private CliRun run(String... args) {
        return CliRun.main(args);
    }

    private void device(String devpath, String uevent) throws IOException {
        new SysTree(tmp).device(devpath, uevent);
    }

    static final String CPU = "cpu:type:x86,ven0000fam0006mod003F:feature:," + "0000,0001,0002,0003,".repeat(80);

    private void subsystem(String devpath, String name) throws IOException {
        new SysTree(tmp).subsystem(devpath, name);
    }

    private void driver(String devpath, String bus, String name) throws IOException {
        new SysTree(tmp).driver(devpath, bus, name);
    }

    @BeforeEach
    void tree() throws IOException {
        sys = tmp.resolve("sys");
        root = tmp.resolve("root");
        conf = Files.createDirectories(tmp.resolve("modprobe.d"));
        device("/devices/pci0000:00/0000:00:03.0", "DRIVER=e1000\nMODALIAS=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/pci0000:00/0000:00:04.0", "MODALIAS=pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/platform/nothing", "MODALIAS=platform:nothing-serves-me\n");
        device("/devices/cpu0", "MODALIAS=" + CPU + "\n");
        subsystem("/devices/cpu0", "cpu");
        subsystem("/devices/platform/nothing", "platform");
        subsystem("/devices/pci0000:00/0000:00:03.0", "pci");
        subsystem("/devices/pci0000:00/0000:00:04.0", "pci");
        driver("/devices/pci0000:00/0000:00:03.0", "pci", "e1000");
        new SysTree(tmp).module("e1000", "live");
        device("/devices/virtual/no-alias", "DEVTYPE=x\n");
        Path mods = Files.createDirectories(root.resolve("lib/modules/1.0"));
        TrieBytes.write(mods.resolve("modules.dep.bin"), "e1000", "kernel/e1000.ko:", "8139cp", "kernel/8139cp.ko:",
                "8139too", "kernel/8139too.ko:");
        TrieBytes.write(mods.resolve("modules.alias.bin"), "pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000",
                "pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp", "pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too");
        TrieBytes.write(mods.resolve("modules.symbols.bin"));
        TrieBytes.write(mods.resolve("modules.builtin.bin"));
    }

    @Test
    void listsDevicesWithTheirDriverAndModulesEachWithItsReason() throws IOException {
        Files.writeString(conf.resolve("bl.conf"), "blacklist 8139too\n");
        CliRun r = run("devices", "--no-names", "--sys", sys.toString(), "-d", root.toString(), "-S", "1.0", "-C", conf.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                DEVPATH\tSUBSYSTEM\tDRIVER\tNAME\tMODALIAS\tMODULES
                /devices/cpu0\tcpu\t-\t-\tcpu:type:x86,ven0000fam0006mod003F:feature:,0000,0001,0002,00...\tno-match
                /devices/pci0000:00/0000:00:03.0\tpci\te1000\t-\tpci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\te1000(loaded)
                /devices/pci0000:00/0000:00:04.0\tpci\t-\t-\tpci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\t8139cp(would-load) 8139too(blacklisted)
                /devices/platform/nothing\tplatform\t-\t-\tplatform:nothing-serves-me\tno-match
                """, r.out());
    }

    @Test
    void filtersBySubsystemAndDevpathPrefix() {
        CliRun pci = run("devices", "--no-names", "--sys", sys.toString(), "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "-s", "pci");
        assertEquals(3, pci.out().lines().count(), pci.out());
        CliRun one = run("devices", "--no-names", "--sys", sys.toString(), "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "/sys/devices/pci0000:00/0000:00:04.0");
        assertEquals(2, one.out().lines().count(), one.out());
        assertTrue(one.out().contains("/devices/pci0000:00/0000:00:04.0\t"), one.out());
        CliRun none = run("devices", "--no-names", "--sys", sys.toString(), "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "/devices/pci0000:00/0000:00:0");
        assertEquals(1, none.out().lines().count(), "a prefix is whole path components: " + none.out());
        assertTrue(none.err().contains("among those selected"), none.err());
    }

    @Test
    void jsonHasEveryDeviceWholeAndParses() throws Exception {
        Files.writeString(conf.resolve("bl.conf"), "blacklist 8139too\n");
        CliRun r = run("devices", "--json", "--no-names", "--sys", sys.toString(), "-d", root.toString(), "-S", "1.0", "-C", conf.toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(4, a.size());
        com.fasterxml.jackson.databind.JsonNode cpu = a.get(0);
        assertEquals("/devices/cpu0", cpu.get("devpath").asText());
        assertEquals(CPU, cpu.get("modalias").asText(), "whole in JSON");
        assertEquals("no-match", cpu.get("reason").asText());
        com.fasterxml.jackson.databind.JsonNode rtl = a.get(2);
        assertEquals("pci", rtl.get("subsystem").asText());
        assertTrue(rtl.get("driver").isNull());
        assertTrue(rtl.get("name").isNull());
        assertEquals("8139cp", rtl.get("modules").get(0).get("name").asText());
        assertEquals("would-load", rtl.get("modules").get(0).get("reason").asText());
        assertEquals("blacklisted", rtl.get("modules").get(1).get("reason").asText());
        assertEquals("would-load", rtl.get("reason").asText());
        assertEquals("e1000", a.get(1).get("driver").asText());
        assertEquals("loaded", a.get(1).get("reason").asText());
    }

    @Test
    void aModuleTreeGivenThatIsNotThereIsFatalAsInKmod() {
        CliRun r = run("devices", "--sys", sys.toString(), "-d", root.toString(), "-S", "9.9", "-C", conf.toString(), "--all");
        assertEquals(1, r.code());
        assertEquals("autoprobe devices: FATAL: module directory " + root.toAbsolutePath().resolve("lib/modules/9.9") + " not found\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void noSysfsIsAnError() {
        CliRun r = run("devices", "--sys", tmp.resolve("nosys").toString(), "-d", root.toString(), "-S", "1.0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no such directory"), r.err());
    }
}
