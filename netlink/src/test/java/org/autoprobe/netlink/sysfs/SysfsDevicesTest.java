package org.autoprobe.netlink.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.testing.SysTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsDevicesTest {
    @TempDir
    Path sys;

    private Path device(String devpath, String uevent) throws IOException {
        return SysTree.ofSys(sys).device(devpath, uevent);
    }

    @Test
    void oneDeviceIsReadWhereItIsAsTheWalkReadsIt() throws IOException {
        Path nic = device("/devices/pci0000:00/0000:00:03.0", "MODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00\n");
        Files.createDirectories(sys.resolve("bus/pci"));
        Files.createSymbolicLink(nic.resolve("subsystem"), nic.relativize(sys.resolve("bus/pci")));
        Files.createDirectories(sys.resolve("devices/nouevent"));
        SysfsDevice walked = SysfsDevices.scan(sys, w -> { }).stream()
                .filter(d -> d.devpath().equals("/devices/pci0000:00/0000:00:03.0")).findFirst().orElseThrow();
        assertEquals(Optional.of(walked), SysfsDevices.device(sys, "/devices/pci0000:00/0000:00:03.0"));
        for (String not : List.of("/devices/gone", "/devices/nouevent", "/devices/pci0000:00/../pci0000:00/0000:00:03.0",
                "/devices/./pci0000:00/0000:00:03.0", "/devices//pci0000:00/0000:00:03.0", "/module/sg", "devices/x",
                "/devices/pci0000:00/0000:00:03.0/")) {
            assertEquals(Optional.empty(), SysfsDevices.device(sys, not), not);
        }
    }

    @Test
    void findsDevicesWithTheirModaliasDriverAndSubsystem() throws IOException {
        Files.createDirectories(sys.resolve("bus/pci/drivers/e1000"));
        Path nic = device("/devices/pci0000:00/0000:00:03.0",
                "DRIVER=e1000\nPCI_CLASS=20000\nMODALIAS=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n");
        Files.createSymbolicLink(nic.resolve("driver"), nic.relativize(sys.resolve("bus/pci/drivers/e1000")));
        Files.createSymbolicLink(nic.resolve("subsystem"), nic.relativize(sys.resolve("bus/pci")));
        device("/devices/pci0000:00", "");
        // a link back up must not be followed (sysfs has cycles)
        Files.createSymbolicLink(nic.resolve("loop"), nic.relativize(sys.resolve("devices")));

        List<SysfsDevice> all = SysfsDevices.scan(sys, w -> { });
        assertEquals(List.of("/devices/pci0000:00", "/devices/pci0000:00/0000:00:03.0"),
                all.stream().map(SysfsDevice::devpath).sorted().toList());
        SysfsDevice d = all.stream().filter(x -> x.devpath().endsWith("03.0")).findFirst().orElseThrow();
        assertEquals(Optional.of("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00"), d.modalias());
        assertEquals("e1000", d.driver());
        assertEquals("pci", d.subsystem());
        SysfsDevice bridge = all.stream().filter(x -> x.devpath().equals("/devices/pci0000:00")).findFirst().orElseThrow();
        assertTrue(bridge.modalias().isEmpty());
        assertEquals("", bridge.driver());
    }

    @Test
    void eachDeviceIsHandedOverBeforeTheWalkGoesOn() throws IOException {
        device("/devices/platform", "");
        device("/devices/platform/serial8250", "MODALIAS=platform:serial8250\n");
        device("/devices/platform/serial8250/tty/ttyS0", "MAJOR=4\n");
        // coldplug announces a device while the walk goes on: what the consumer sees of the
        // parent comes before the walk reads the children
        List<String> seen = new ArrayList<>();
        SysfsDevices.forEach(sys, d -> {
            seen.add(d.devpath());
            if (d.devpath().equals("/devices/platform/serial8250")) {
                try {
                    Files.delete(sys.resolve("devices/platform/serial8250/tty/ttyS0/uevent"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, w -> { });
        assertEquals(List.of("/devices/platform", "/devices/platform/serial8250"), seen);
    }

    @Test
    void noDevicesDirectoryIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> SysfsDevices.scan(sys.resolve("nope"), w -> { }));
        assertTrue(e.getMessage().contains("nope/devices: no such directory"), e.getMessage());
    }

    @Test
    void unreadableUeventIsReportedAndTheWalkGoesOn() throws IOException {
        Path bad = sys.resolve("devices/bad");
        Files.createDirectories(bad.resolve("uevent")); // a directory where a file should be: not a device
        device("/devices/good", "MODALIAS=platform:x\n");
        List<String> warnings = new ArrayList<>();
        List<SysfsDevice> all = SysfsDevices.scan(sys, warnings::add);
        assertEquals(List.of("/devices/good"), all.stream().map(SysfsDevice::devpath).toList());
    }
}
