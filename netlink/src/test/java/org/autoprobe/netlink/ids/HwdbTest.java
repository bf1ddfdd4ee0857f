package org.autoprobe.netlink.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HwdbTest {
    @TempDir
    Path dir;

    private Hwdb write(byte[] content) throws IOException {
        Path f = dir.resolve("hwdb.bin");
        Files.write(f, content);
        return Hwdb.open(f);
    }

    private static HwdbWriter sample() {
        return new HwdbWriter()
                .add("pci:v00008086*", "ID_VENDOR_FROM_DATABASE", "Intel Corporation")
                .add("pci:v00008086d000010D3*", "ID_MODEL_FROM_DATABASE", "82574L Gigabit Network Connection")
                .add("pci:v00008086d000010D3sv00008086sd0000A01F*", "ID_MODEL_FROM_DATABASE", "82574L (Gigabit CT Desktop Adapter)")
                .add("pci:v*d*sv*sd*bc02sc00*", "ID_PCI_SUBCLASS_FROM_DATABASE", "Ethernet controller")
                .add("usb:v046DpC52B*", "ID_MODEL_FROM_DATABASE", "Unifying Receiver")
                .add("usb:v046D*", "ID_VENDOR_FROM_DATABASE", "Logitech, Inc.")
                .add("acpi:PNP0A0[38]:*", "ID_VENDOR_FROM_DATABASE", "PCI root")
                .add("dmi:*svnQEMU*", "ID_SYSTEM", "qemu")
                .add("exact:only", "ID_EXACT", "yes");
    }

    @Test
    void exactPrefixesWildcardsAndTheLaterLineWins() throws IOException {
        Hwdb h = write(sample().build());
        Map<String, String> nic = h.lookup("pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00");
        assertEquals(Map.of("ID_VENDOR_FROM_DATABASE", "Intel Corporation",
                "ID_MODEL_FROM_DATABASE", "82574L (Gigabit CT Desktop Adapter)",
                "ID_PCI_SUBCLASS_FROM_DATABASE", "Ethernet controller"), nic);
        assertEquals("82574L Gigabit Network Connection",
                h.lookup("pci:v00008086d000010D3sv00001234sd00005678bc02sc00i00").get("ID_MODEL_FROM_DATABASE"));
        assertEquals(Map.of("ID_VENDOR_FROM_DATABASE", "Logitech, Inc.", "ID_MODEL_FROM_DATABASE", "Unifying Receiver"),
                h.lookup("usb:v046DpC52Bd1200dc00dsc00dp00ic03isc01ip01in00"));
        assertEquals(Map.of("ID_VENDOR_FROM_DATABASE", "PCI root"), h.lookup("acpi:PNP0A08:"));
        assertEquals(Map.of(), h.lookup("acpi:PNP0A05:"));
        assertEquals(Map.of("ID_SYSTEM", "qemu"), h.lookup("dmi:bvnSeaBIOS:svnQEMU:pnStandardPC"));
        assertEquals(Map.of("ID_EXACT", "yes"), h.lookup("exact:only"));
        assertEquals(Map.of(), h.lookup("exact:onl"));
        assertEquals(Map.of(), h.lookup("exact:only2"));
        assertEquals(Map.of(), h.lookup(""));
        assertEquals(Map.of(), h.lookup("pci:v\u20ac"));
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAtOpen() throws IOException {
        byte[] good = sample().build();
        assertThrows(IOException.class, () -> write(new byte[10]));
        byte[] badSig = good.clone();
        badSig[0] = 'X';
        assertTrue(assertThrows(IOException.class, () -> write(badSig)).getMessage().contains("signature"));
        assertTrue(assertThrows(IOException.class, () -> write(Arrays.copyOf(good, good.length - 7))).getMessage()
                .contains("cut or grown"));
        byte[] badRoot = good.clone();
        ByteBuffer.wrap(badRoot).order(ByteOrder.LITTLE_ENDIAN).putLong(56, good.length + 100L);
        assertThrows(IOException.class, () -> write(badRoot));
    }

    @Test
    void corruptOffsetsNeverThrowAndNeverLoop() throws IOException {
        byte[] good = sample().build();
        Random r = new Random(42);
        List<String> queries = List.of("pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00",
                "usb:v046DpC52Bd1200", "acpi:PNP0A03:", "dmi:svnQEMU", "exact:only");
        for (int round = 0; round < 2000; round++) {
            byte[] bad = good.clone();
            int flips = 1 + r.nextInt(8);
            for (int i = 0; i < flips; i++) {
                bad[80 + r.nextInt(bad.length - 80)] = (byte) r.nextInt(256);
            }
            Hwdb h = write(bad);
            for (String q : queries) {
                h.lookup(q); // an answer or none: never an exception, never a hang
            }
        }
    }

    @Test
    void aCycleInTheTrieEnds() throws IOException {
        // a node whose '*' child is itself
        ByteBuffer b = ByteBuffer.allocate(80 + 24 + 16 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("KSLPHHRH".getBytes(StandardCharsets.US_ASCII)).putLong(252).putLong(b.capacity()).putLong(80).putLong(24)
                .putLong(16).putLong(32).putLong(80).putLong(40).putLong(2);
        b.position(80);
        b.putLong(0).put((byte) 1).put(new byte[7]).putLong(0);
        b.put((byte) '*').put(new byte[7]).putLong(80);
        Hwdb h = write(b.array());
        assertEquals(Map.of(), h.lookup("anything"));
    }

    /** The machine's own database, against systemd-hwdb's answers for the same strings. */
    @Test
    void theSystemsDatabaseAnswersAsSystemdHwdb() throws Exception {
        Path system = Hwdb.DEFAULT_PATHS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        Path tool = Path.of("/usr/bin/systemd-hwdb");
        org.junit.jupiter.api.Assumptions.assumeTrue(system != null && Files.isExecutable(tool),
                "udev's hwdb.bin and systemd-hwdb are installed by ./run-tests (udev)");
        Hwdb h = Hwdb.open(system);
        List<String> queries = new ArrayList<>(List.of(
                "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00",
                "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00",
                "pci:v00008086d00007010sv00001AF4sd00001100bc01sc01i80",
                "pci:v00001B36d0000000Dsv00001AF4sd00001100bc0Csc03i30",
                "usb:v046DpC52Bd1200dc00dsc00dp00ic03isc01ip01in00",
                "usb:v0627p0001d0000dc00dsc00dp00ic03isc00ip00in00",
                "acpi:PNP0A03:", "acpi:QEMU0002:", "platform:serial8250", "input:b0011v0001p0001eAB41-e0,1,4,11,14,k71,72,73,ramlsfw",
                "dmi:bvnSeaBIOS:bvr1.16:svnQEMU:pnStandardPC(i440FX+PIIX,1996):pvrpc-i440fx-7.2:cvnQEMU:ct1:cvrpc-i440fx-7.2:"));
        try (var walk = Files.walk(Path.of("/sys/devices"), 12)) {
            walk.filter(p -> p.getFileName().toString().equals("modalias")).limit(200).forEach(p -> {
                try {
                    queries.add(Files.readString(p).strip());
                } catch (IOException | RuntimeException e) {
                    // a device gone meanwhile
                }
            });
        } catch (IOException e) {
            // no /sys here: the fixed list only
        }
        Random r = new Random(7);
        for (int i = 0; i < 40; i++) {
            queries.add(String.format("pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi00", r.nextInt(0x10000), r.nextInt(0x10000),
                    r.nextInt(0x10000), r.nextInt(0x10000), r.nextInt(0x13), r.nextInt(0x10)));
            queries.add(String.format("usb:v%04Xp%04Xd0100dc00dsc00dp00ic03isc01ip01in00", r.nextInt(0x10000), r.nextInt(0x10000)));
        }
        int named = 0;
        for (String q : queries) {
            Process p = new ProcessBuilder(tool.toString(), "query", q).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Map<String, String> expected = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    expected.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            assertEquals(expected, h.lookup(q), q);
            named += expected.containsKey("ID_VENDOR_FROM_DATABASE") ? 1 : 0;
        }
        assertTrue(named > 10, "the fixed and random strings found vendors: " + named);
    }
}
