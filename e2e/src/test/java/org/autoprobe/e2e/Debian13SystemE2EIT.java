package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * autoprobe's Debian package on a real Debian 13 system, as its users run it: the Debian 13 system guest
 * ({@link GuestOptions#debian13System()}, {@code e2e/scripts/debian13-system.sh}) with {@link Autoloading#DEVICES},
 * on one disk kept from boot to boot ({@link GuestOptions#withPersistentDisk}).
 * <ol>
 * <li>Stock boot: Debian 13's kernel, systemd as PID 1 bringing the system up, kmod 34, systemd-udevd loading
 * the emulated devices' drivers; its module set and {@code systemd-analyze}'s figures are recorded.
 * <li>In that system: {@code apt-get install ./autoprobe_*.deb} (offline: the image has a Java runtime) and
 * udev's {@code 80-drivers.rules} masked as the README says; power off.
 * <li>Second boot, autoprobe loading drivers: the unit active and READY (at its start, as udevd: the boot does
 * not wait for coldplug), coldplug settled (its status), the module set equal to the stock
 * boot's, no warning or error in the journal from the unit, {@code systemctl reload} and a hotplugged NIC
 * (QMP {@code device_add} of an Intel 82559ER: e100, which nothing has loaded) handled, {@code systemctl stop}
 * clean.
 * <li>{@code apt-get purge autoprobe}: nothing of it left.
 * </ol>
 * The steps run in order, each on the state the one before left; a step whose predecessor failed fails too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Debian13SystemE2EIT {
    private static final Path REPO = Path.of(System.getProperty("autoprobe.repo", "..")).toAbsolutePath().normalize();
    private static final Duration BOOT_END = Duration.ofMinutes(10);
    /** What the package puts on the system, and what it makes there: none of it may be left after a purge. */
    private static final List<String> PACKAGE_PATHS = List.of("/usr/sbin/autoprobe", "/usr/share/autoprobe",
            "/usr/lib/autoprobe", "/usr/lib/systemd/system/autoprobe.service", "/var/cache/autoprobe",
            "/var/lib/autoprobe", "/run/autoprobe", "/usr/share/man/man8/autoprobe.8.gz",
            "/usr/share/bash-completion/completions/autoprobe", "/usr/share/zsh/vendor-completions/_autoprobe",
            "/usr/share/doc/autoprobe", "/etc/systemd/system/sysinit.target.wants/autoprobe.service",
            "/var/lib/systemd/deb-systemd-helper-enabled/autoprobe.service.dsh-also");

    private static Path disk;
    private static Guest guest;
    private static CommandResult systemState;
    private static CommandResult settle;
    private static Set<String> stockModules;
    private static String stockAnalyze;
    private static boolean installed;
    private static boolean rebooted;

    @BeforeAll
    static void boot() throws IOException {
        Path work = GuestOptions.defaults().workDir();
        Files.createDirectories(work);
        disk = work.resolve("debian13-package.qcow2");
        Files.deleteIfExists(disk);
        guest = Guest.boot(options());
        awaitSystem("stock");
    }

    private static GuestOptions options() {
        return GuestOptions.debian13System().withPersistentDisk(disk)
                .withQemuArgs(Autoloading.DEVICES.toArray(String[]::new));
    }

    /** Waits for the boot's end: no more systemd jobs, then udevd's queue empty. */
    private static void awaitSystem(String which) {
        // the agent starts with multi-user.target; the boot goes on around it
        systemState = guest.run("systemctl is-system-running --wait", BOOT_END);
        // "running" means no more systemd jobs, not that udevd has worked through its coldplug queue
        settle = guest.run("udevadm settle --timeout=300", BOOT_END);
        System.out.printf("Debian13SystemE2EIT: %s boot: guest %s: agent ready %d ms after QEMU started; system %s"
                + " %d ms later; udev settled %d ms later%n", which, guest.kernelVersion(), guest.bootTime().toMillis(),
                systemState.stdout().strip(), systemState.elapsed().toMillis(), settle.elapsed().toMillis());
    }

    @AfterAll
    static void stop() throws IOException {
        if (guest != null) {
            guest.close();
            guest = null;
        }
        if (disk != null) {
            Files.deleteIfExists(disk);
        }
    }

    // ---- 1. the stock system

    @Test
    @Order(1)
    void pid1IsSystemd() {
        assertEquals("/usr/lib/systemd/systemd", guest.check("readlink /proc/1/exe").stdout().strip());
        assertEquals("systemd", guest.check("ps -p 1 -o comm=").stdout().strip());
    }

    @Test
    @Order(2)
    void theSystemFinishedBooting() {
        assertBooted();
    }

    private static void assertBooted() {
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
    @Order(3)
    void theKernelIsDebian13s() {
        String release = guest.check("uname -r").stdout().strip();
        assertTrue(release.matches("6\\.12\\.[0-9]+\\+deb13-amd64"), "uname -r: " + release);
        assertEquals(guest.kernelVersion(), release);
        // the image's own kernel: its modules are the root's
        guest.check("test -d /usr/lib/modules/$(uname -r)/kernel && test -f /usr/lib/modules/$(uname -r)/modules.dep.bin");
    }

    @Test
    @Order(4)
    void kmodIs34() {
        guest.check("command -v modinfo && command -v modprobe");
        String version = guest.check("kmod --version").stdout();
        assertTrue(version.startsWith("kmod version 34"), "kmod --version: " + version);
    }

    @Test
    @Order(5)
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
        String drivers = boundPciDrivers();
        for (String d : List.of("e1000", "8139cp", "snd_hda_intel", "snd_ens1370")) {
            assertTrue(drivers.lines().anyMatch(d::equals), d + " is bound to no PCI device: " + drivers);
        }
        stockModules = new TreeSet<>(loaded);
    }

    private static String boundPciDrivers() {
        return guest.check("for d in /sys/bus/pci/devices/*; do [ -L $d/driver ] && basename \"$(readlink $d/driver)\"; done"
                + " | sort -u").stdout();
    }

    @Test
    @Order(6)
    void systemdAnalyzePrintsItsFigures() {
        stockAnalyze = analyze("stock");
    }

    /** {@code systemd-analyze} and the head of its blame, printed (TCG makes them slow: the record, not asserted). */
    private static String analyze(String which) {
        String figures = guest.check("systemd-analyze").stdout();
        System.out.println("Debian13SystemE2EIT: " + which + " boot: systemd-analyze (TCG):\n" + figures
                + guest.check("systemd-analyze blame --no-pager | head -n 15").stdout()
                + guest.check("systemd-analyze blame --no-pager | grep -E 'autoprobe|udev' || true").stdout());
        assertTrue(figures.startsWith("Startup finished in "), figures);
        assertTrue(figures.contains("(kernel)") && figures.contains("(userspace)"), figures);
        return figures;
    }

    // ---- 2. the package installed as the README says

    @Test
    @Order(10)
    void aptGetInstallsThePackage() throws IOException {
        Path deb;
        try (Stream<Path> s = Files.list(REPO.resolve("packaging/target"))) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
            assertEquals(1, debs.size(), "one package in packaging/target: " + debs);
            deb = debs.get(0);
        }
        String name = deb.getFileName().toString();
        Files.copy(deb, guest.outDir().resolve(name));
        // from a local directory, as the README's `apt-get install ./packaging/target/autoprobe_*.deb`; the
        // guest has no network: apt finds everything it needs installed
        CommandResult install = guest.run("set -e; mkdir -p /tmp/pkg; cp /e2e/" + name + " /tmp/pkg/; cd /tmp/pkg;"
                + " DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ./" + name,
                Duration.ofMinutes(10));
        System.out.println("Debian13SystemE2EIT: apt-get install took " + install.elapsed().toMillis() + " ms:\n"
                + install.stdout() + install.stderr());
        assertTrue(install.ok(), install.describe());
        assertTrue(guest.run("dpkg-query -W -f='${db:Status-Status}' autoprobe").stdout().equals("installed"));
        // postinst: the unit enabled and started, the class data and a first boot plan made
        assertEquals("enabled", guest.run("systemctl is-enabled autoprobe.service").stdout().strip());
        assertEquals("active", guest.run("systemctl is-active autoprobe.service").stdout().strip(),
                guest.run("systemctl status --no-pager autoprobe.service; journalctl -b -u autoprobe --no-pager").stdout());
        guest.check("test -s /var/lib/autoprobe/boot-plan && ls /var/cache/autoprobe/ | grep -q '^autoprobe-daemon\\.'");
        assertEquals("", guest.run("ls /var/cache/autoprobe | grep pending || true").stdout(),
                "a recording left behind in the cache");
        // the README: udev's kmod builtin off, autoprobe alone loads drivers
        guest.check("ln -s /dev/null /etc/udev/rules.d/80-drivers.rules && udevadm control --reload");
        installed = true;
    }

    // ---- 3. the next boot: autoprobe loads the drivers

    @Test
    @Order(20)
    void afterARebootTheUnitIsActiveAndReady() {
        assertTrue(installed, "not installed");
        guest.close();
        guest = Guest.boot(options());
        rebooted = true;
        awaitSystem("autoprobe");
        assertBooted();
        // Type=notify with --notify-ready start: active means READY=1 came as the daemon started (the boot
        // went on); coldplug runs behind it, until `autoprobe status` says state=ready
        CommandResult settled = guest.run("for i in $(seq 1 600); do autoprobe status 2>/dev/null | grep -qx state=ready"
                + " && exit 0; sleep 0.5; done; exit 1", Duration.ofMinutes(6));
        assertTrue(settled.ok(), "coldplug did not settle within 300 s:\n" + journal(""));
        System.out.println("Debian13SystemE2EIT: autoprobe's coldplug settled " + settled.elapsed().toMillis()
                + " ms after udev had");
        Map<String, String> unit = show("ActiveState", "SubState", "Result", "StatusText", "NRestarts");
        assertEquals("active", unit.get("ActiveState"), unit.toString());
        assertEquals("running", unit.get("SubState"), unit.toString());
        assertEquals("0", unit.get("NRestarts"), unit.toString());
        // the STATUS= line that came with the second READY=1, once coldplug settled
        assertTrue(unit.get("StatusText").startsWith("ready: "), unit.toString());
        System.out.println("Debian13SystemE2EIT: autoprobe: " + unit.get("StatusText") + "\n"
                + guest.run("autoprobe status | grep -E '^(bootplan|generation|load)'").stdout());
        guest.check("test -L /etc/udev/rules.d/80-drivers.rules");
    }

    private static Map<String, String> show(String... properties) {
        return Autoloading.keyValues(guest.check("systemctl show autoprobe.service -p " + String.join(",", properties)).stdout());
    }

    @Test
    @Order(21)
    void theModuleSetIsTheStockBoots() {
        assertTrue(rebooted, "no second boot");
        assertNotNull(stockModules, "no stock module set");
        Set<String> now = new TreeSet<>(guest.loadedNames());
        Set<String> missing = new TreeSet<>(stockModules);
        missing.removeAll(now);
        Set<String> extra = new TreeSet<>(now);
        extra.removeAll(stockModules);
        System.out.printf("Debian13SystemE2EIT: autoprobe boot: %d modules; missing against udevd's %s, extra %s%n",
                now.size(), missing, extra);
        assertEquals(stockModules, now, "missing " + missing + ", extra " + extra);
        String drivers = boundPciDrivers();
        for (String d : List.of("e1000", "8139cp", "snd_hda_intel", "snd_ens1370")) {
            assertTrue(drivers.lines().anyMatch(d::equals), d + " is bound to no PCI device: " + drivers);
        }
        // loaded by autoprobe, not by an udevd that still had its rule: the sound drivers are in its journal
        String journal = journal("");
        for (String m : List.of("snd_hda_intel", "snd_ens1370")) {
            assertTrue(journal.contains("INFO loaded " + m + " for "), m + " is not in autoprobe's journal:\n" + journal);
        }
    }

    @Test
    @Order(22)
    void theJournalHoldsNoWarningFromAutoprobe() {
        assertTrue(rebooted, "no second boot");
        System.out.println("Debian13SystemE2EIT: autoprobe's journal (this boot):\n" + journal(""));
        assertEquals("", journal("-p warning"), "warnings or errors in the journal");
    }

    /** The unit's journal lines of this boot (systemd's about it and the daemon's own) with {@code options}. */
    private static String journal(String options) {
        return guest.check("journalctl -b -u autoprobe.service -q --no-pager -o short-monotonic " + options).stdout();
    }

    @Test
    @Order(23)
    void systemdAnalyzeWithAutoprobe() {
        assertTrue(rebooted, "no second boot");
        analyze("autoprobe");
        System.out.println("Debian13SystemE2EIT: stock boot was: " + stockAnalyze);
    }

    @Test
    @Order(24)
    void reloadIsClean() {
        assertTrue(rebooted, "no second boot");
        long before = generation();
        guest.check("systemctl reload autoprobe.service");
        long after = generation();
        assertTrue(after > before, "generation " + before + " before the reload, " + after + " after");
        Map<String, String> unit = show("ActiveState", "StatusText");
        assertEquals("active", unit.get("ActiveState"), unit.toString());
        assertEquals("", journal("-p warning"), "warnings or errors in the journal after the reload");
    }

    /** The daemon's current generation, from {@code autoprobe status} (over its control socket). */
    private static long generation() {
        String status = guest.check("autoprobe status").stdout();
        return status.lines().filter(l -> l.startsWith("generation=")).map(l -> Long.parseLong(l.substring(11)))
                .findFirst().orElseThrow(() -> new AssertionError("no generation in autoprobe status:\n" + status));
    }

    @Test
    @Order(25)
    void aHotpluggedNicGetsItsDriver() {
        assertTrue(rebooted, "no second boot");
        guest.check("! grep -q '^e100 ' /proc/modules");
        long start = System.nanoTime();
        guest.qmp().execute("device_add", Map.of("driver", "i82559er", "id", "nic9", "bus", "pci.0", "addr", "0x1e"));
        CommandResult bound = guest.run("for i in $(seq 1 1200); do"
                + " [ -L /sys/bus/pci/devices/0000:00:1e.0/driver ] && basename \"$(readlink /sys/bus/pci/devices/0000:00:1e.0/driver)\" && exit 0;"
                + " sleep 0.1; done; exit 1", Duration.ofMinutes(3));
        assertTrue(bound.ok(), "the NIC is bound to no driver 120 s after device_add:\n" + journal("") + bound.describe());
        System.out.printf("Debian13SystemE2EIT: hotplugged NIC bound to %s %d ms after device_add%n",
                bound.stdout().strip(), Duration.ofNanos(System.nanoTime() - start).toMillis());
        assertEquals("e100", bound.stdout().strip());
        String journal = journal("");
        assertTrue(journal.contains("INFO loaded e100 for /devices/pci0000:00/0000:00:1e.0 (pci:v00008086d00001209"),
                "autoprobe's journal does not say it loaded e100 for the NIC:\n" + journal);
        assertEquals("", journal("-p warning"), "warnings or errors in the journal after the hotplug");
    }

    @Test
    @Order(26)
    void devicesExplainAndABadLineReachTheJournalAsAWarning() {
        assertTrue(rebooted, "no second boot");
        // devices names the NIC from Debian 13's hwdb and says why its module is there
        String devices = guest.check("autoprobe devices -s pci").stdout();
        String nic = devices.lines().filter(l -> l.contains("\te1000(")).findFirst()
                .orElseThrow(() -> new AssertionError("no e1000 device in autoprobe devices:\n" + devices));
        // hwdb's name for the device and its subsystem (QEMU's 1af4:1100), as systemd-hwdb gives it
        assertTrue(nic.contains("\tpci\te1000\tIntel Corporation 82540EM Gigabit Ethernet Controller (QEMU Virtual Machine)\t"),
                nic);
        assertTrue(nic.endsWith("\te1000(loaded)"), nic);
        // the daemon says which device and event made it load e1000, and which rule
        String why = guest.check("autoprobe status explain e1000").stdout();
        assertTrue(why.contains("module e1000: loaded\n"), why);
        assertTrue(why.matches("(?s).*  autoprobe: loaded for /devices/pci0000:00/0000:00:[0-9a-f.]+ \\(pci:v00008086d0000100E.*"), why);
        assertTrue(why.contains("  rule /usr/lib/autoprobe/rules.d/"), why);
        // a bad modprobe.d line: one warning, at warning priority in the journal, and the rest goes on
        guest.check("printf 'bogus line here\\n' > /etc/modprobe.d/zz-autoprobe-e2e.conf");
        try {
            long before = generation();
            guest.check("systemctl reload autoprobe.service");
            assertTrue(generation() > before);
            String warnings = journal("-p warning");
            assertTrue(warnings.contains("/etc/modprobe.d/zz-autoprobe-e2e.conf:1: ignoring bad line starting with 'bogus'"),
                    "the bad line is not a warning in the journal:\n" + warnings + "\nall:\n" + journal(""));
            // one per generation built with it (the file watcher's reload and systemctl's may both read it)
            long said = warnings.lines().filter(l -> l.contains("zz-autoprobe-e2e.conf")).count();
            assertTrue(said >= 1 && said <= 2, warnings);
            assertEquals("", withoutTheBadLineTest(warnings), "no other warning");
            assertFalse(warnings.contains(" loaded "), "info lines stay out of -p warning:\n" + warnings);
        } finally {
            guest.check("rm -f /etc/modprobe.d/zz-autoprobe-e2e.conf && systemctl reload autoprobe.service");
        }
    }

    /** {@code journal}'s lines but those the bad-line test provoked on purpose. */
    private static String withoutTheBadLineTest(String journal) {
        return journal.lines().filter(l -> !l.contains("zz-autoprobe-e2e.conf")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
    }

    @Test
    @Order(27)
    void stopIsClean() {
        assertTrue(rebooted, "no second boot");
        CommandResult stop = guest.run("systemctl stop autoprobe.service");
        assertTrue(stop.ok(), stop.describe());
        Map<String, String> unit = show("ActiveState", "Result", "ExecMainCode", "ExecMainStatus");
        System.out.println("Debian13SystemE2EIT: stopped in " + stop.elapsed().toMillis() + " ms: " + unit);
        assertEquals("inactive", unit.get("ActiveState"), unit.toString());
        assertEquals("success", unit.get("Result"), unit.toString());
        assertEquals("0", unit.get("ExecMainStatus"), unit.toString());
        assertEquals("", withoutTheBadLineTest(journal("-p warning")), "warnings or errors in the journal after the stop");
        guest.check("! test -e /run/autoprobe/control");
    }

    // ---- 4. purged

    @Test
    @Order(30)
    void purgeLeavesNothing() {
        assertTrue(rebooted, "no second boot");
        guest.check("rm -rf /tmp/pkg");
        CommandResult purge = guest.run("DEBIAN_FRONTEND=noninteractive apt-get purge -y autoprobe", Duration.ofMinutes(5));
        System.out.println("Debian13SystemE2EIT: apt-get purge took " + purge.elapsed().toMillis() + " ms");
        assertTrue(purge.ok(), purge.describe());
        assertTrue(guest.run("dpkg-query -W -f='${db:Status-Status}' autoprobe").stdout().matches("(not-installed)?"));
        StringBuilder left = new StringBuilder();
        for (String p : PACKAGE_PATHS) {
            if (guest.run("test -e " + p + " || test -L " + p).ok()) {
                left.append(p).append('\n');
            }
        }
        // anything else named after it, on the root file system and under /run (the test's own agent aside:
        // /usr/local/lib/autoprobe-e2e, and /e2e, the host's share)
        left.append(guest.check("find / /run -xdev -name '*autoprobe*' -not -path '/usr/local/lib/autoprobe-e2e*'"
                + " -not -path '/e2e/*' 2>/dev/null | sort -u").stdout());
        assertEquals("", left.toString(), "left after apt-get purge");
        assertEquals("not-found", guest.run("systemctl show -p LoadState --value autoprobe.service").stdout().strip());
    }
}
