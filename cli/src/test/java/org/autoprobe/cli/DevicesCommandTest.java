package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesCommandTest {
    @TempDir
    Path tmp;
    Path sys;
    Path root;
    Path conf;

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void device(String devpath, String uevent) throws IOException {
        Path d = Files.createDirectories(sys.resolve(devpath.substring(1)));
        Files.writeString(d.resolve("uevent"), uevent);
    }

    @BeforeEach
    void tree() throws IOException {
        sys = tmp.resolve("sys");
        root = tmp.resolve("root");
        conf = Files.createDirectories(tmp.resolve("modprobe.d"));
        device("/devices/pci0000:00/0000:00:03.0", "DRIVER=e1000\nMODALIAS=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/pci0000:00/0000:00:04.0", "MODALIAS=pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/platform/nothing", "MODALIAS=platform:nothing-serves-me\n");
        device("/devices/virtual/no-alias", "DEVTYPE=x\n");
        Path mods = Files.createDirectories(root.resolve("lib/modules/1.0"));
        TestTries.write(mods.resolve("modules.dep.bin"), "e1000", "kernel/e1000.ko:", "8139cp", "kernel/8139cp.ko:",
                "8139too", "kernel/8139too.ko:");
        TestTries.write(mods.resolve("modules.alias.bin"), "pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000",
                "pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp", "pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too");
        TestTries.write(mods.resolve("modules.symbols.bin"));
        TestTries.write(mods.resolve("modules.builtin.bin"));
    }

    @Test
    void listsDevicesWithTheirDriverAndModules() throws IOException {
        Files.writeString(conf.resolve("bl.conf"), "blacklist 8139too\n");
        Run r = run("devices", "--sys", sys.toString(), "-d", root.toString(), "-S", "1.0", "-C", conf.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("""
                DEVPATH\tDRIVER\tMODALIAS\tMODULES
                /devices/pci0000:00/0000:00:03.0\t-\tpci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\te1000
                /devices/pci0000:00/0000:00:04.0\t-\tpci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\t8139cp
                /devices/platform/nothing\t-\tplatform:nothing-serves-me\t-
                """, r.out());
    }

    @Test
    void aMissingModulesDirectoryIsSaidClearlyAndDevicesStillListed() {
        Run r = run("devices", "--sys", sys.toString(), "-d", root.toString(), "-S", "9.9", "-C", conf.toString(), "--all");
        assertEquals(0, r.code());
        assertTrue(r.err().contains(root.resolve("lib/modules/9.9") + " does not exist"), r.err());
        assertTrue(r.out().contains("/devices/pci0000:00/0000:00:03.0\t-\tpci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\t?\n"), r.out());
        assertTrue(r.out().contains("/devices/virtual/no-alias\t-\t-\t-\n"), r.out());
    }

    @Test
    void noSysfsIsAnError() {
        Run r = run("devices", "--sys", tmp.resolve("nosys").toString(), "-d", root.toString(), "-S", "1.0");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no such directory"), r.err());
    }
}
