package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian 13 system guest ({@link GuestOptions#debian13System()}, {@code e2e/scripts/debian13-system.sh})
 * is what it claims to be, in one boot with {@link Autoloading#DEVICES}: Debian 13's kernel, systemd as
 * PID 1 bringing the system up to {@code running} (or {@code degraded}, whose failed units are printed),
 * kmod 34's tools, systemd-udevd loading the emulated devices' drivers from the root's own module tree,
 * and {@code systemd-analyze}'s figures (printed, not asserted: TCG makes them slow, and they are the
 * record later comparisons start from).
 */
class Debian13SystemE2EIT {
    private static final Duration BOOT_END = Duration.ofMinutes(10);
    private static Guest guest;
    private static CommandResult systemState;
    private static CommandResult settle;

    @BeforeAll
    static void boot() {
        guest = Guest.boot(GuestOptions.debian13System().withQemuArgs(Autoloading.DEVICES.toArray(String[]::new)));
        // the agent starts with multi-user.target; the boot goes on around it
        systemState = guest.run("systemctl is-system-running --wait", BOOT_END);
        // "running" means no more systemd jobs, not that udevd has worked through its coldplug queue
        settle = guest.run("udevadm settle --timeout=300", BOOT_END);
        System.out.printf("Debian13SystemE2EIT: guest %s: agent ready %d ms after QEMU started; system %s %d ms later;"
                + " udev settled %d ms later%n", guest.kernelVersion(), guest.bootTime().toMillis(),
                systemState.stdout().strip(), systemState.elapsed().toMillis(), settle.elapsed().toMillis());
    }

    @AfterAll
    static void stop() {
        if (guest != null) {
            guest.close();
            guest = null;
        }
    }

    @Test
    void pid1IsSystemd() {
        assertEquals("/usr/lib/systemd/systemd", guest.check("readlink /proc/1/exe").stdout().strip());
        assertEquals("systemd", guest.check("ps -p 1 -o comm=").stdout().strip());
    }

    @Test
    void theSystemFinishedBooting() {
        String state = systemState.stdout().strip();
        if (state.equals("degraded")) {
            System.out.println("Debian13SystemE2EIT: degraded; failed units:\n"
                    + guest.run("systemctl --failed --no-legend --no-pager").stdout());
        }
        assertTrue(state.equals("running") || state.equals("degraded"), "systemctl is-system-running --wait: "
                + systemState.describe() + guest.run("systemctl list-jobs --no-pager; systemctl --failed --no-pager").stdout());
        assertTrue(settle.ok(), "udevadm settle: " + settle.describe());
    }

    @Test
    void theKernelIsDebian13s() {
        String release = guest.check("uname -r").stdout().strip();
        assertTrue(release.matches("6\\.12\\.[0-9]+\\+deb13-amd64"), "uname -r: " + release);
        assertEquals(guest.kernelVersion(), release);
        // the image's own kernel: its modules are the root's
        guest.check("test -d /usr/lib/modules/$(uname -r)/kernel && test -f /usr/lib/modules/$(uname -r)/modules.dep.bin");
    }

    @Test
    void kmodIs34() {
        guest.check("command -v modinfo && command -v modprobe");
        String version = guest.check("kmod --version").stdout();
        assertTrue(version.startsWith("kmod version 34"), "kmod --version: " + version);
    }

    @Test
    void systemdUdevdLoadedTheEmulatedDevicesDrivers() {
        List<String> loaded = guest.loadedNames();
        assertEquals("active", guest.check("systemctl is-active systemd-udevd.service").stdout().strip());
        // NICs: the initramfs (Debian's MODULES=most) has their drivers, so its udevd may load them first;
        // sound is not in it: snd_hda_intel and snd_ens1370 can only come from the root's udevd
        Set<String> initramfs = new TreeSet<>(guest.check("lsinitramfs /boot/initrd.img-$(uname -r)"
                + " | sed -n 's#.*/\\([^/]*\\)\\.ko\\(\\.[a-z]*\\)\\?$#\\1#p' | tr - _").stdout().lines().toList());
        System.out.printf("Debian13SystemE2EIT: %d modules loaded (%d of them in the initramfs): %s%n", loaded.size(),
                loaded.stream().filter(initramfs::contains).count(), new TreeSet<>(loaded));
        for (String m : List.of("e1000", "8139cp", "snd_hda_intel", "snd_ens1370", "virtio_balloon")) {
            assertTrue(loaded.contains(m), m + " is not loaded: " + loaded);
        }
        assertTrue(!initramfs.contains("snd_hda_intel") && !initramfs.contains("snd_ens1370"),
                "the initramfs has the sound drivers; the root's udevd is not what loaded them");
        // and bound: each to its device (slots follow the disk and the share, then DEVICES in order)
        String drivers = guest.check("for d in /sys/bus/pci/devices/*; do [ -L $d/driver ] && basename \"$(readlink $d/driver)\"; done"
                + " | sort -u").stdout();
        for (String d : List.of("e1000", "8139cp", "snd_hda_intel", "snd_ens1370")) {
            assertTrue(drivers.lines().anyMatch(d::equals), d + " is bound to no PCI device: " + drivers);
        }
    }

    @Test
    void systemdAnalyzePrintsItsFigures() {
        String figures = guest.check("systemd-analyze").stdout();
        System.out.println("Debian13SystemE2EIT: systemd-analyze (TCG):\n" + figures
                + guest.check("systemd-analyze blame --no-pager | head -n 15").stdout());
        assertTrue(figures.startsWith("Startup finished in "), figures);
        assertTrue(figures.contains("(kernel)") && figures.contains("(userspace)"), figures);
    }
}
