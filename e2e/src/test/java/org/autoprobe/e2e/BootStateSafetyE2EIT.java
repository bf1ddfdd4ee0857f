package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's boot-state safety: the boot plan a boot leaves behind must never make the next boot
 * end differently from systemd-udevd. Boot A: {@link Autoloading#DEVICES} and autoprobe's daemon, as
 * in {@link ColdplugE2EIT}'s race, writing its plan into a state directory (saved). Then, each from a
 * copy of that state, the machine without a USB keyboard, a NIC (e1000) and a storage controller
 * (megasas):
 * <ul>
 *   <li>with a new modprobe.d file (a blacklist and an alias, written before the loader starts): the
 *       plan's key has changed, so it is not used, and the daemon ends with exactly what
 *       systemd-udevd loads and binds on the same reduced machine with the same file;</li>
 *   <li>with the configuration unchanged: the plan is used, yet the removed devices' modules are not
 *       loaded and the end state is again systemd-udevd's on the reduced machine.</li>
 * </ul>
 * PCI devices sit at fixed slots, so that removing some moves no other (as on real hardware).
 */
class BootStateSafetyE2EIT {
    /** Devices of the reduced machine's boot: a USB keyboard, a NIC, a storage controller. */
    private static final Set<String> REMOVED = Set.of("usb-kbd,bus=xhci.0", "e1000", "megasas");
    /** Not on the PCI bus: no slot of their own. */
    private static final List<String> NOT_PCI = List.of("usb-kbd", "usb-tablet", "hda-duplex", "pvpanic");
    private static final String CONFIG_FILE = "/etc/modprobe.d/autoprobe-e2e-safety.conf";
    /**
     * A blacklist of one of the reduced machine's drivers (rtl8139's 8139cp: 8139too drives it
     * instead) and an alias that sends the i6300esb watchdog (8086:25ab) to softdog.
     */
    private static final String CONFIG = "blacklist 8139cp\n"
            + "alias pci:v00008086d000025ABsv*sd*bc*sc*i* softdog\n";
    private static final String WRITE_CONFIG = "mkdir -p /etc/modprobe.d && cat > " + CONFIG_FILE + " <<'EOF'\n" + CONFIG
            + "EOF\n";

    private static Path guests;
    private static Path stateAfterA;
    private static BootRun bootA;

    @BeforeAll
    static void fullMachineWritesItsPlan() throws IOException {
        guests = Path.of("target", "guests");
        Files.createDirectories(guests);
        stateAfterA = Files.createTempDirectory(guests, "state-a-");
        bootA = BootRun.autoprobe(machine(false).withStateDir(stateAfterA), "");
        System.out.println("BootStateSafetyE2EIT: boot A (all devices): " + bootA.describe());
        assertTrue(bootA.planWritten(), "boot A wrote no boot plan:\n" + bootA.log());
        assertTrue(bootA.modules().contains("e1000"), "boot A (all devices) did not load e1000: " + bootA.modules());
    }

    @Test
    void devicesRemovedAndANewModprobeConfigEndAsSystemdUdevd() throws IOException {
        BootRun ours = BootRun.autoprobe(machine(true).withStateDir(copyOfStateA()), WRITE_CONFIG);
        BootRun udevd = BootRun.udevd(machine(true).withStateDir(Files.createTempDirectory(guests, "state-")),
                WRITE_CONFIG);
        System.out.println("BootStateSafetyE2EIT: reduced machine, new modprobe.d file: " + udevd.describe() + "\n"
                + "BootStateSafetyE2EIT: reduced machine, new modprobe.d file: " + ours.describe());
        // the test's own premises: the configuration and the removal change what systemd-udevd loads
        assertFalse(udevd.modules().contains("8139cp"), "the blacklist did not keep 8139cp out: " + udevd.modules());
        assertTrue(udevd.modules().contains("softdog") && !udevd.modules().contains("i6300esb"),
                "the alias did not send the watchdog to softdog: " + udevd.modules());
        assertRemovedDevicesMatter(udevd);
        String used = ours.status().get("bootplan.used");
        assertTrue(used != null && used.startsWith("no"), "a new modprobe.d file, yet bootplan.used=" + used + "\n"
                + ours.statusText());
        assertNull(ours.differencesFrom(udevd), () -> "autoprobe's daemon and systemd-udevd differ on the reduced"
                + " machine with a new modprobe.d file:\n  " + ours.differencesFrom(udevd) + "\n--- daemon log ---\n"
                + ours.log());
        assertEquals("0", ours.status().get("loads.active"), "loads still running once quiet:\n" + ours.statusText());
    }

    @Test
    void devicesRemovedWithTheSameConfigUseThePlanAndEndAsSystemdUdevd() throws IOException {
        BootRun ours = BootRun.autoprobe(machine(true).withStateDir(copyOfStateA()), "");
        BootRun udevd = BootRun.udevd(machine(true).withStateDir(Files.createTempDirectory(guests, "state-")), "");
        System.out.println("BootStateSafetyE2EIT: reduced machine, same configuration: " + udevd.describe() + "\n"
                + "BootStateSafetyE2EIT: reduced machine, same configuration: " + ours.describe());
        assertRemovedDevicesMatter(udevd);
        assertEquals("yes", ours.status().get("bootplan.used"), "the configuration did not change, yet the plan"
                + " was not used:\n" + ours.statusText() + "--- daemon log ---\n" + ours.log());
        assertNull(ours.differencesFrom(udevd), () -> "autoprobe's daemon (boot plan used) and systemd-udevd differ on"
                + " the reduced machine:\n  " + ours.differencesFrom(udevd) + "\n--- daemon log ---\n" + ours.log());
        assertEquals("0", ours.status().get("loads.active"), "loads still running once quiet:\n" + ours.statusText());
    }

    /** systemd-udevd on the reduced machine leaves out modules boot A loaded (e1000 at least). */
    private static void assertRemovedDevicesMatter(BootRun udevdReduced) {
        Set<String> gone = new TreeSet<>(bootA.modules());
        gone.removeAll(udevdReduced.modules());
        System.out.println("BootStateSafetyE2EIT: modules of boot A that systemd-udevd did not load on the reduced"
                + " machine: " + gone);
        assertTrue(gone.contains("e1000"), "the reduced machine still loads e1000: " + udevdReduced.modules());
    }

    /**
     * {@link Autoloading#DEVICES}, every PCI device at a slot of its own from 0x08 (the guest's shares
     * take the first free slots, the state share 0x1f); {@code reduced} leaves {@link #REMOVED} out.
     */
    static GuestOptions machine(boolean reduced) {
        List<String> args = new ArrayList<>();
        List<String> devices = Autoloading.DEVICES;
        int slot = 0x08;
        for (int i = 0; i < devices.size(); i++) {
            String arg = devices.get(i);
            if (!arg.equals("-device") || i + 1 == devices.size()) {
                args.add(arg);
                continue;
            }
            String spec = devices.get(++i);
            boolean pci = NOT_PCI.stream().noneMatch(n -> spec.equals(n) || spec.startsWith(n + ","));
            String placed = pci ? spec + String.format(Locale.ROOT, ",addr=0x%02x", slot++) : spec;
            if (!(reduced && REMOVED.contains(spec))) {
                args.add("-device");
                args.add(placed);
            }
        }
        return GuestOptions.defaults().withQemuArgs(args.toArray(String[]::new));
    }

    /** A fresh copy of the state boot A left (its boot plan and class-data archive). */
    private static Path copyOfStateA() throws IOException {
        Path copy = Files.createTempDirectory(guests, "state-copy-");
        try (Stream<Path> files = Files.walk(stateAfterA)) {
            files.forEach(p -> {
                Path to = copy.resolve(stateAfterA.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return copy;
    }
}
