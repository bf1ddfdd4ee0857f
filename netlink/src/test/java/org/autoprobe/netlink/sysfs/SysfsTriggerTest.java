package org.autoprobe.netlink.sysfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.netlink.uevent.UeventAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTriggerTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheActionToEveryDeviceButFollowsNoLink() throws IOException {
        Path devices = Files.createDirectories(tmp.resolve("sys/devices"));
        Path pci = Files.createDirectories(devices.resolve("pci0000:00/0000:00:02.0"));
        Files.writeString(pci.resolve("uevent"), "DRIVER=i915\nPCI_CLASS=30000\n");
        Files.writeString(devices.resolve("pci0000:00/uevent"), "");
        Path plain = Files.createDirectories(devices.resolve("platform/power"));   // no uevent file: not a device
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("uevent"), "untouched");
        Files.createSymbolicLink(devices.resolve("platform/link"), elsewhere);

        List<String> warnings = new ArrayList<>();
        assertEquals(2, SysfsTrigger.trigger(devices, UeventAction.ADD, null, warnings::add));
        assertEquals("add", Files.readString(pci.resolve("uevent")));
        assertEquals("add", Files.readString(devices.resolve("pci0000:00/uevent")));
        assertEquals("untouched", Files.readString(elsewhere.resolve("uevent")));
        assertTrue(Files.notExists(plain.resolve("uevent")));
        assertEquals(List.of(), warnings);

        assertEquals(1, SysfsTrigger.trigger(pci, UeventAction.CHANGE, "0a7e3c8e-1111-4222-8333-444455556666", warnings::add));
        assertEquals("change 0a7e3c8e-1111-4222-8333-444455556666", Files.readString(pci.resolve("uevent")));
    }

    @Test
    void anUnwritableDeviceIsReportedAndTheRestIsTriggered() throws IOException {
        Path devices = Files.createDirectories(tmp.resolve("devices"));
        Path a = Files.createDirectories(devices.resolve("a"));
        Path b = Files.createDirectories(devices.resolve("b"));
        Files.writeString(a.resolve("uevent"), "");
        Files.writeString(b.resolve("uevent"), "");
        assertTrue(b.resolve("uevent").toFile().setReadOnly());
        List<String> warnings = new ArrayList<>();
        int n = SysfsTrigger.trigger(devices, UeventAction.ADD, null, warnings::add);
        assertEquals("add", Files.readString(a.resolve("uevent")));
        if (Files.isWritable(b.resolve("uevent"))) {
            assertEquals(2, n); // root writes read-only files anyway
        } else {
            assertEquals(1, n);
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).startsWith(b.resolve("uevent") + ": cannot trigger: "), warnings.get(0));
        }
    }

    @Test
    void aMissingDirectoryIsAnError() {
        IOException e = assertThrows(IOException.class,
                () -> SysfsTrigger.trigger(tmp.resolve("nope"), UeventAction.ADD, null, w -> { }));
        assertTrue(e.getMessage().contains("nope"));
    }
}
