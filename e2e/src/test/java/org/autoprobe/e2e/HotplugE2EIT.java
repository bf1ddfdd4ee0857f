package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's hotplug on the real kernel: while the daemon runs, QEMU adds a PCI NIC (an RTL8139, by
 * ACPI hotplug on the i440fx's root bus) and a USB keyboard on an xHCI controller; the daemon loads
 * their drivers and the kernel binds them. Both are unplugged, their modules removed, and plugged
 * again: the daemon loads them again (the kernel's {@code remove@/module} made it forget them).
 */
class HotplugE2EIT {
    private static final String NIC = "/sys/bus/pci/devices/0000:00:1e.0";

    static Guest guest;
    static Autoloading autoloading;

    @BeforeAll
    static void boot() {
        guest = Guest.boot(GuestOptions.defaults().withQemuArgs("-device", "qemu-xhci,id=xhci"));
        autoloading = new Autoloading(guest);
        autoloading.monitor();
        autoloading.daemonStart("--no-watch");
        autoloading.daemonReady();
        autoloading.quiet(2);
    }

    @AfterAll
    static void stop() {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void pciNicAndUsbKeyboardGetTheirDriversAndAgainAfterUnplug() {
        List<String> before = guest.loadedNames();
        assertTrue(before.contains("xhci_pci"), "coldplug did not load xhci_pci: " + before);
        for (String m : List.of("8139cp", "8139too", "usbhid", "hid_generic")) {
            assertFalse(before.contains(m), m + " loaded before any device needs it: " + before);
        }
        String failedBefore = autoloading.status().get("loads.failed");
        for (int round = 1; round <= 2; round++) {
            plugAndCheck(round);
            unplug();
            // modules gone too: the next plug must make the daemon load them again
            guest.check("rmmod 8139cp 8139too mii hid_generic usbhid hid");
        }
        Map<String, String> status = autoloading.status();
        assertEquals(failedBefore, status.get("loads.failed"), "failed loads while hotplugging: " + status + "\n"
                + autoloading.daemonLog());
    }

    private void plugAndCheck(int round) {
        long t0 = System.nanoTime();
        guest.qmp().execute("device_add", Map.of("driver", "rtl8139", "id", "nic1", "bus", "pci.0", "addr", "0x1e"));
        guest.qmp().execute("device_add", Map.of("driver", "usb-kbd", "id", "kbd1", "bus", "xhci.0"));
        awaitInGuest("[ \"$(basename \"$(readlink " + NIC + "/driver)\")\" = 8139cp ]", "round " + round
                + ": the hotplugged RTL8139 bound to 8139cp");
        awaitInGuest("ls -l /sys/bus/usb/drivers/usbhid/ | grep -q ' [0-9]-[0-9.]*:1.0 ->'"
                + " && ls /sys/bus/hid/drivers/hid-generic/ | grep -q ':'", "round " + round
                + ": the hotplugged keyboard bound to usbhid and hid-generic");
        System.out.printf("HotplugE2EIT: round %d: NIC and keyboard bound %d ms after device_add%n", round,
                (System.nanoTime() - t0) / 1_000_000);
        List<String> loaded = guest.loadedNames();
        assertTrue(loaded.containsAll(List.of("8139cp", "8139too", "usbhid", "hid_generic")),
                "round " + round + ": " + loaded);
        String log = autoloading.daemonLog();
        for (String m : List.of("8139cp", "usbhid")) {
            long loads = log.lines().filter(l -> l.startsWith("INFO loaded " + m + " for ")).count();
            assertEquals(round, loads, "round " + round + ": the daemon's loads of " + m + ":\n" + log);
        }
    }

    private void unplug() {
        guest.qmp().execute("device_del", Map.of("id", "kbd1"));
        guest.qmp().awaitEvent("\"kbd1\"", Duration.ofSeconds(60));
        guest.qmp().execute("device_del", Map.of("id", "nic1"));
        guest.qmp().awaitEvent("\"nic1\"", Duration.ofSeconds(120));
        awaitInGuest("[ ! -e " + NIC + " ]", "the unplugged NIC gone from sysfs");
        awaitInGuest("! ls /sys/bus/hid/drivers/hid-generic/ | grep -q ':'", "the unplugged keyboard gone from sysfs");
    }

    private static void awaitInGuest(String condition, String what) {
        CommandResult r = guest.run("for i in $(seq 1 1200); do if " + condition + "; then exit 0; fi; sleep 0.1; done;"
                + " exit 1", Duration.ofMinutes(4));
        if (!r.ok()) {
            throw new AssertionError("not seen within 120 s: " + what + "\n" + r.describe() + "\n--- daemon log ---\n"
                    + autoloading.daemonLog() + "\n--- dmesg ---\n" + guest.run("dmesg | tail -40").stdout());
        }
    }
}
