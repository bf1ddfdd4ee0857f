package org.autoprobe.netlink.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceNamesTest {
    @TempDir
    Path dir;

    private Path ids(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String PCI_IDS = """
            # comment
            1af4  Red Hat, Inc.
            \t1041  Virtio 1.0 network device
            \t\t1af4 1100  QEMU Virtual Machine
            8086  Intel Corporation
            \t100e  82540EM Gigabit Ethernet Controller
            C 02  Network controller
            \t00  Ethernet controller
            """;

    @Test
    void hwdbFirstThenTheIdFiles() throws IOException {
        Path hwdb = dir.resolve("hwdb.bin");
        Files.write(hwdb, new HwdbWriter()
                .add("pci:v00001AF4*", "ID_VENDOR_FROM_DATABASE", "Red Hat (hwdb)")
                .add("pci:v00001AF4d00001041*", "ID_MODEL_FROM_DATABASE", "Virtio network (hwdb)")
                .add("acpi:QEMU*", "ID_VENDOR_FROM_DATABASE", "QEMU").build());
        List<String> warnings = new ArrayList<>();
        DeviceNames n = DeviceNames.open(List.of(dir.resolve("none.bin"), hwdb), List.of(ids("pci.ids", PCI_IDS)),
                List.of(ids("usb.ids", "046d  Logitech, Inc.\n\tc52b  Unifying Receiver\n")), warnings::add);
        assertEquals(Optional.of("Red Hat (hwdb) Virtio network (hwdb)"),
                n.name("pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00"));
        assertEquals(Optional.of("QEMU"), n.name("acpi:QEMU0002:"));
        // hwdb knows nothing of these: the id files answer
        assertEquals(Optional.of("Intel Corporation 82540EM Gigabit Ethernet Controller"),
                n.name("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00"));
        assertEquals(Optional.of("Logitech, Inc. Unifying Receiver"), n.name("usb:v046DpC52Bd1200dc00dsc00dp00ic03isc01ip01in00"));
        assertEquals(Optional.of("Logitech, Inc."), n.name("usb:v046DpFFFFd1200dc00dsc00dp00ic03isc01ip01in00"));
        assertEquals(Optional.empty(), n.name("pci:v0000FFFFd0000FFFFsv0sd0bc00sc00i00"));
        assertEquals(Optional.empty(), n.name("pci:v"));
        assertEquals(Optional.empty(), n.name("platform:serial8250"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void theClassSectionIsNotTakenForVendors() throws IOException {
        var m = DeviceNames.readIds(ids("pci.ids", PCI_IDS));
        assertEquals("Red Hat, Inc.", m.get("1af4"));
        assertEquals("Virtio 1.0 network device", m.get("1af4:1041"));
        assertFalse(m.containsKey("1af4:1af4"), "subsystem lines are not devices");
        assertFalse(m.values().contains("Network controller"));
    }

    @Test
    void aDamagedHwdbIsSaidOnceAndTheIdFilesStillAnswer() throws IOException {
        Path hwdb = dir.resolve("hwdb.bin");
        Files.writeString(hwdb, "not a database at all, but long enough to have a header of eighty bytes .........");
        List<String> warnings = new ArrayList<>();
        DeviceNames n = DeviceNames.open(List.of(hwdb), List.of(ids("pci.ids", PCI_IDS)), List.of(), warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("not a hwdb.bin"), warnings.toString());
        assertEquals(Optional.of("Red Hat, Inc. Virtio 1.0 network device"), n.name("pci:v00001AF4d00001041sv0sd0bc02sc00i00"));
        assertTrue(n.any());
        assertFalse(DeviceNames.open(List.of(), List.of(), List.of(), warnings::add).any());
    }
}
