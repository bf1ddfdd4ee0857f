package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefetchTest {
    @TempDir
    Path dir;

    private static BootPlan.Module module(String name, String path, String... after) {
        return new BootPlan.Module(name, path, "", List.of(after), List.of());
    }

    @Test
    void filesComeInLoadOrderEachAfterWhatItNeeds() {
        Map<String, BootPlan.Module> modules = new LinkedHashMap<>();
        modules.put("evdev", module("evdev", "/m/evdev.ko"));
        modules.put("xhci_pci", module("xhci_pci", "/m/xhci-pci.ko", "xhci_hcd", "usbcore"));
        modules.put("xhci_hcd", module("xhci_hcd", "/m/xhci-hcd.ko", "usbcore"));
        modules.put("usbcore", module("usbcore", "/m/usbcore.ko", "usb_common"));
        modules.put("usb_common", module("usb_common", "/m/usb-common.ko"));
        Map<String, BootPlan.Device> devices = new LinkedHashMap<>();
        devices.put("/devices/usb", new BootPlan.Device("/devices/usb", "PCI_CLASS=C0330\n", List.of(), List.of("xhci_pci")));
        devices.put("/devices/input", new BootPlan.Device("/devices/input", "", List.of(), List.of("evdev")));
        assertEquals(List.of("/m/usb-common.ko", "/m/usbcore.ko", "/m/xhci-hcd.ko", "/m/xhci-pci.ko", "/m/evdev.ko"),
                Prefetch.order(List.of("/devices/usb", "/devices/input"), devices, modules));
    }

    @Test
    void onlyRegularModuleFilesAreRead() throws Exception {
        Path ko = Files.write(dir.resolve("a.ko"), new byte[300_000]);
        Path xz = Files.write(dir.resolve("b.ko.xz"), new byte[1000]);
        Path other = Files.write(dir.resolve("passwd"), new byte[50]);
        Path fifo = dir.resolve("c.ko");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS);
        Path folder = Files.createDirectories(dir.resolve("d.ko"));
        Prefetch p = new Prefetch(List.of(ko.toString(), fifo.toString(), other.toString(), folder.toString(),
                dir.resolve("gone.ko").toString(), xz.toString()));
        Thread t = new Thread(p);
        t.start();
        t.join(10_000);
        assertEquals(false, t.isAlive(), "a FIFO never blocks it");
        assertEquals(2, p.files());
        assertEquals(301_000, p.bytes());
    }

    @Test
    void aCancelledPrefetchReadsNothingMore() throws Exception {
        Path ko = Files.write(dir.resolve("a.ko"), new byte[1000]);
        Prefetch p = new Prefetch(List.of(ko.toString()));
        p.cancel();
        p.run();
        assertEquals(0, p.files());
    }
}
