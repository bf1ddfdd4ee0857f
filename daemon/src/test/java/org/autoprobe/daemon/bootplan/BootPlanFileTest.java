package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoprobe.daemon.pipeline.SysfsRead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootPlanFileTest {
    @TempDir
    Path dir;

    static BootPlan sample() {
        Map<String, BootPlan.Module> modules = new LinkedHashMap<>();
        modules.put("mii", new BootPlan.Module("mii", "/lib/modules/x/kernel/mii.ko", "", List.of(), List.of()));
        modules.put("crc", new BootPlan.Module("crc", "/lib/modules/x/kernel/crc.ko", "", List.of(), List.of()));
        modules.put("e1000", new BootPlan.Module("e1000", "/lib/modules/x/kernel/e1000.ko",
                "debug=1 name=\"a\tb\\c\"", List.of("mii"), List.of("crc")));
        Map<String, BootPlan.Device> devices = new LinkedHashMap<>();
        devices.put("/devices/pci0000:00/0000:00:03.0", new BootPlan.Device("/devices/pci0000:00/0000:00:03.0",
                "SUBSYSTEM-LINK=pci\nDRIVER-LINK=\nMODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00",
                List.of(new SysfsRead(SysfsRead.Kind.DEVPATH_OF, "module", "sg", null),
                        new SysfsRead(SysfsRead.Kind.MODE, null, "/sys/x", "-1"),
                        new SysfsRead(SysfsRead.Kind.ATTRIBUTE, "/devices/x", "vendor", "0x8086")),
                List.of("e1000")));
        return new BootPlan(List.of("format " + BootPlanFile.MAGIC, "cmdline quiet\u0001"), devices, modules);
    }

    @Test
    void writtenThenReadGivesTheSamePlan() throws Exception {
        Path f = dir.resolve("state/boot-plan");
        BootPlanFile.write(f, sample());
        assertEquals(sample(), BootPlanFile.read(f));
        assertEquals(List.of("boot-plan"), Arrays.asList(dir.resolve("state").toFile().list()), "no temporary file left");
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertTrue(text.startsWith(BootPlanFile.MAGIC + "\n"), text);
        assertTrue(text.contains("name=\"a\\x09b\\x5cc\""), "tabs and backslashes escaped: " + text);
    }

    @Test
    void aTruncatedFileIsRefusedWherever_itIsCut() throws Exception {
        byte[] whole = BootPlanFile.format(sample());
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            BootPlanFile.Invalid e = assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.parse("plan", cut),
                    "cut at " + n);
            assertTrue(e.getMessage().startsWith("plan: "), e.getMessage());
        }
    }

    @Test
    void anyChangedByteIsRefused() throws Exception {
        byte[] whole = BootPlanFile.format(sample());
        for (int i = 0; i < whole.length; i++) {
            byte[] bad = whole.clone();
            bad[i] ^= 0x01;
            assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.parse("plan", bad), "byte " + i);
        }
    }

    @Test
    void aForeignFileSaysWhatItIsNot() throws Exception {
        Path f = dir.resolve("boot-plan");
        Files.writeString(f, "autoprobe-boot-plan 0\nend\tdeadbeef\n");
        BootPlanFile.Invalid e = assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.read(f));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        byte[] other = withChecksum("autoprobe-boot-plan 0\n");
        e = assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.parse("p", other));
        assertEquals("p:1: not a plan of this version (expected '" + BootPlanFile.MAGIC + "')", e.getMessage());
        Files.delete(f);
        Files.createDirectory(f);
        e = assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.read(f));
        assertEquals(f + ": not a regular file", e.getMessage());
    }

    @Test
    void badLinesAreRefusedWithTheirLineNumber() {
        for (String[] c : new String[][] {
                {"want\te1000\n", "p:2: a module wanted before any device"},
                {"module\te1000\t/x.ko\t\t\n", "p:2: 'module' needs 5 fields, not 4"},
                {"bogus\tx\n", "p:2: unknown line 'bogus'"},
                {"key\ta\\q1\n", "p:2: bad escape in 'a\\q1'"},
                {"device\t/devices/a\tU\nwant\tnone\n", "p: inconsistent: /devices/a wants none, which the plan does not have"},
                {"module\ta\t/a.ko\t\tb\t\nmodule\tb\t/b.ko\t\ta\t\n", "p: inconsistent: the modules' order has a cycle through a"},
        }) {
            byte[] bytes = withChecksum(BootPlanFile.MAGIC + "\n" + c[0]);
            BootPlanFile.Invalid e = assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.parse("p", bytes), c[0]);
            assertEquals(c[1], e.getMessage());
        }
    }

    @Test
    void anOversizedFileIsNotRead() throws Exception {
        Path f = dir.resolve("boot-plan");
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'x'}), BootPlanFile.MAX_BYTES);
        }
        BootPlanFile.Invalid e = assertThrows(BootPlanFile.Invalid.class, () -> BootPlanFile.read(f));
        assertTrue(e.getMessage().contains("more than a plan can be"), e.getMessage());
    }

    private static byte[] withChecksum(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b);
        byte[] end = ("end\t" + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(b, b.length + end.length);
        System.arraycopy(end, 0, all, b.length, end.length);
        assertArrayEquals(b, Arrays.copyOf(all, b.length));
        return all;
    }
}
