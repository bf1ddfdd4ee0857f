package org.autoprobe.daemon.coldplug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.core.testing.SysTree;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.UeventParser;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdplugTest {
    @TempDir
    Path root;

    private Path device(String devpath, String subsystem, String uevent) throws IOException {
        return new SysTree(root).device(devpath, subsystem, uevent);
    }

    @Test
    void theWalkAnnouncesEveryDeviceAndTheirDriversLoad() throws Exception {
        device("/devices/pci0000:00", null, "");
        device("/devices/pci0000:00/0000:00:03.0", "pci",
                "PCI_CLASS=20000\nPCI_ID=10EC:8139\nMODALIAS=pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/platform/serial8250", "platform", "DRIVER=serial8250\nMODALIAS=platform:serial8250\n");
        device("/devices/virtual/net/lo", "net", "INTERFACE=lo\nIFINDEX=1\n");
        Path dir = Path.of("/lib/modules/9.9.9-test");
        InMemoryDatabase index = new InMemoryDatabase(dir).module("kernel/8139cp.ko").module("kernel/8139too.ko")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too")
                .builtin("8250");
        SharedKernel kernel = new SharedKernel().define(index.file("kernel/8139cp.ko"), "8139cp")
                .define(index.file("kernel/8139too.ko"), "8139too");
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        LoadCoordinator coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, results::add);
        UeventPipeline pipeline = new UeventPipeline(() -> TestGenerations.of(1, index,
                org.autoprobe.core.config.ModprobeConfig.EMPTY, kernel, root.resolve("sys")), coordinator).start();
        List<String> warnings = new ArrayList<>();
        int n = new Coldplug(root.resolve("sys"), warnings::add).walk(pipeline);
        assertTrue(pipeline.awaitIdle(Duration.ofSeconds(10)));
        pipeline.shutdown(Duration.ofSeconds(5));
        coordinator.shutdown(Duration.ofSeconds(5));
        assertEquals(4, n);
        assertEquals(List.of(), warnings);
        assertEquals(List.of("8139cp", "8139too"), kernel.inserted().stream().sorted().toList());
        assertTrue(results.stream().allMatch(r -> r.request().devpath().equals("/devices/pci0000:00/0000:00:03.0")
                && r.status() == LoadResult.Status.LOADED), results.toString());
    }

    @Test
    void aSyntheticEventCarriesTheFilesVariablesAndParses() {
        SysfsDevice d = new SysfsDevice("/devices/platform/serial8250", "platform", "serial8250",
                new java.util.LinkedHashMap<>(Map.of("DRIVER", "serial8250", "MODALIAS", "platform:serial8250")));
        byte[] buf = new byte[UeventSlot.MAX_MESSAGE_BYTES];
        int n = SyntheticUevent.encode(d, 7, buf);
        UeventSlot slot = new UeventSlot();
        assertEquals(ReceiveOutcome.EVENT, UeventParser.parse(buf, 0, n, slot));
        assertEquals("/devices/platform/serial8250", slot.devpath().toString());
        assertEquals("platform", slot.subsystem().toString());
        assertEquals("platform:serial8250", slot.get("MODALIAS").toString());
        assertEquals("serial8250", slot.get("DRIVER").toString());
        assertEquals(7, slot.seqnum());
        assertEquals("add", slot.action().text());
    }

    @Test
    void aDeviceTooBigForOneUeventIsRefused() {
        Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("K" + i, "x".repeat(60));
        }
        SysfsDevice d = new SysfsDevice("/devices/big", "", "", many);
        assertEquals(-1, SyntheticUevent.encode(d, 1, new byte[UeventSlot.MAX_MESSAGE_BYTES]));
    }
}
