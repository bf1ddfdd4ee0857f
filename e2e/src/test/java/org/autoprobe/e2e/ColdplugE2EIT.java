package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's coldplug on the real kernel: a guest with {@link Autoloading#DEVICES} (more than twenty
 * emulated devices) must end with the same modules loaded, and the same drivers bound, whether
 * systemd-udevd with kmod or autoprobe's daemon announced its devices: at every boot of issue 11's
 * race (below), after the daemon was killed mid-coldplug and started again, and after a storm of
 * events overflowed a deliberately small receive buffer.
 *
 * <p>Issue 11's race, as the issue defines it: each boot starts one loader at t0 and polls
 * {@code /proc/modules} every 0.2 s ({@link BootRun}); first and last are the first and last change of
 * the module list once it has held for 10 s. systemd-udevd: {@code --daemon}, then {@code udevadm trigger}
 * for subsystems and devices. autoprobe: {@code autoprobe daemon} through the launcher as its unit starts
 * it ({@code AUTOPROBE_CDS_DIR=/var/cache/autoprobe}, {@code --control /run/autoprobe/control}), SIGTERM at
 * the end of each boot. {@code /var/lib/autoprobe} and {@code /var/cache/autoprobe} persist from boot to
 * boot (a fresh {@link GuestOptions#withStateDir state directory}). First the package's installation
 * ({@link BootRun#install}: the class data and the first boot plan made on a running system, as its
 * maintainer script makes them); boot 0 is autoprobe's first boot after it, reported but not counted;
 * then {@code autoprobe.race.rounds} (default 1) rounds of one udevd boot and one autoprobe boot;
 * medians. Only correctness is asserted, never a time: every autoprobe boot ends with udevd's modules
 * and bindings and carried out a boot plan ({@code bootplan.used=yes}), boot 0 the installation's. Round 1's udevd boot, run before the tests, is also the
 * reference of the other tests. {@code bench/scripts/boot-race.sh} runs the race with more rounds.
 */
class ColdplugE2EIT {
    private static final int ROUNDS = Integer.getInteger("autoprobe.race.rounds", 1);
    private static GuestOptions race;
    private static BootRun boot0;
    private static BootRun udevReference;
    private static Set<String> udevModules;
    private static Map<String, String> udevBindings;

    @BeforeAll
    static void bootZeroAndSystemdUdevdReference() throws IOException {
        if (ROUNDS < 1) {
            throw new IllegalArgumentException("autoprobe.race.rounds must be at least 1, not " + ROUNDS);
        }
        race = machine();
        System.out.println("ColdplugE2EIT: race installation: " + BootRun.install(race));
        boot0 = BootRun.autoprobe(race, "");
        System.out.println("ColdplugE2EIT: race boot 0 (the first after installation, not counted): " + boot0.describe());
        udevReference = BootRun.udevd(race, "");
        System.out.println("ColdplugE2EIT: race round 1: " + udevReference.describe());
        udevModules = udevReference.modules();
        udevBindings = udevReference.bindings();
        assertTrue(udevModules.size() >= 40, "systemd-udevd loaded only " + udevModules);
    }

    /** {@link Autoloading#DEVICES} and a state directory of its own (the same machine for every test). */
    private static GuestOptions machine() throws IOException {
        Path guests = Path.of("target", "guests");
        Files.createDirectories(guests);
        return Autoloading.withDevices().withStateDir(Files.createTempDirectory(guests, "state-"));
    }

    @Test
    void daemonRacesSystemdUdevdAcrossBootsWithItsBootPlan() {
        List<BootRun> udevd = new ArrayList<>(List.of(udevReference));
        List<BootRun> autoprobe = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        check(boot0, udevReference, "boot 0", true, failures);
        for (int round = 1; round <= ROUNDS; round++) {
            if (round > 1) {
                BootRun u = BootRun.udevd(race, "");
                System.out.println("ColdplugE2EIT: race round " + round + ": " + u.describe());
                udevd.add(u);
            }
            BootRun p = BootRun.autoprobe(race, "");
            System.out.println("ColdplugE2EIT: race round " + round + ": " + p.describe());
            autoprobe.add(p);
            check(p, udevd.get(udevd.size() - 1), "round " + round, true, failures);
        }
        StringBuilder table = new StringBuilder("ColdplugE2EIT: issue 11's race, " + ROUNDS + " round(s), times in s after"
                + " t0 (monitor every " + BootRun.POLL + " s, list held " + BootRun.HOLD_SECONDS + " s)\n");
        table.append("  boot 0    ").append(boot0.describe()).append("  (the first after installation; not counted)\n");
        for (int i = 0; i < ROUNDS; i++) {
            table.append(String.format(Locale.ROOT, "  round %-3d %s%n  round %-3d %s%n", i + 1, udevd.get(i).describe(),
                    i + 1, autoprobe.get(i).describe()));
        }
        double udevFirst = BootRun.median(udevd.stream().map(BootRun::first).toList());
        double udevLast = BootRun.median(udevd.stream().map(BootRun::last).toList());
        double apFirst = BootRun.median(autoprobe.stream().map(BootRun::first).toList());
        double apLast = BootRun.median(autoprobe.stream().map(BootRun::last).toList());
        table.append(String.format(Locale.ROOT, "  medians   udevd first %.2f last %.2f; autoprobe first %.2f last %.2f%n",
                udevFirst, udevLast, apFirst, apLast));
        table.append(String.format(Locale.ROOT, "  ratio median(autoprobe last)/median(udevd last) = %.2f", apLast / udevLast));
        System.out.println(table);
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    /** An autoprobe boot's correctness: udevd's end state, the plan written (and, if counted, used). */
    private static void check(BootRun p, BootRun udevd, String what, boolean counted, List<String> failures) {
        String diff = p.differencesFrom(udevd);
        if (diff != null) {
            failures.add("at " + what + ", autoprobe's daemon and systemd-udevd differ:\n  " + diff + "\n--- daemon log ---\n"
                    + p.log());
        }
        if (!"0".equals(p.status().get("loads.active"))) {
            failures.add("at " + what + ", loads still running once quiet:\n" + p.statusText());
        }
        if (!p.planWritten()) {
            failures.add("at " + what + ", the daemon did not write its boot plan:\n--- daemon log ---\n" + p.log());
        }
        if (counted && !"yes".equals(p.status().get("bootplan.used"))) {
            failures.add("at " + what + ", the boot plan was not used: bootplan.used=" + p.status().get("bootplan.used")
                    + "\n" + p.statusText() + "--- daemon log ---\n" + p.log());
        }
    }

    @Test
    void daemonKilledMidColdplugAndStartedAgainEndsTheSame() throws IOException {
        try (Guest guest = Guest.boot(machine())) {
            Autoloading a = new Autoloading(guest);
            a.monitor();
            int boot = guest.bootModules().size();
            a.daemonStart("--no-watch");
            a.step("await-count " + (boot + 12) + " 300");
            guest.check("kill -KILL -- -$(cat /run/autoprobe-daemon.pid)");
            String log = a.daemonLog();
            assertFalse(log.contains("INFO ready:"), "the daemon was already ready when killed, not mid-coldplug:\n" + log);
            int atKill = guest.loadedNames().size() - boot;
            assertTrue(atKill < udevModules.size(), "everything was already loaded when the daemon was killed");
            a.daemonStart("--no-watch");
            a.daemonReady();
            a.quiet(3);
            System.out.printf("ColdplugE2EIT: killed with %d of %d modules loaded; started again%n", atKill,
                    udevModules.size());
            assertSameEndState(a, "a SIGKILL mid-coldplug and a new start");
        }
    }

    @Test
    void overflowUnderAStormIsResynchronised() throws IOException {
        try (Guest guest = Guest.boot(machine())) {
            Autoloading a = new Autoloading(guest);
            a.monitor();
            a.daemonStart("--no-watch --receive-buffer 4096");
            a.daemonReady();
            a.quiet(3);
            // drivers away behind the daemon's back: only what the storm brings (or a resync) loads them again
            System.out.println("ColdplugE2EIT: could not unload " + guest.unloadAllButBootModules());
            Map<String, String> before = a.status();
            // the daemon stalled (as by swapping or a stop signal) while the storm comes: the kernel fills
            // the 4 KiB buffer whatever the daemon's speed, and drops the rest (ENOBUFS on the next read)
            a.step("daemon-pause");
            Map<String, String> storm = a.step("storm 2");
            a.step("daemon-resume");
            a.quiet(5);
            Map<String, String> after = a.status();
            // the resync (a whole coldplug) may still be loading when /proc/modules has been still for 5 s
            for (int i = 0; i < 20 && !"0".equals(after.get("loads.active")); i++) {
                a.quiet(3);
                after = a.status();
            }
            long overflows = Long.parseLong(after.get("socket.overflow")) - Long.parseLong(before.get("socket.overflow"));
            long resyncs = Long.parseLong(after.get("resyncs")) - Long.parseLong(before.get("resyncs"));
            System.out.printf("ColdplugE2EIT: storm of %s writes: %d overflows, %d resyncs, %s kernel events received%n",
                    storm.get("writes"), overflows, resyncs, after.get("socket.event"));
            assertTrue(overflows > 0, "a 4 KiB receive buffer never overflowed under the storm: " + after);
            assertTrue(resyncs > 0, "overflows but no resynchronisation: " + after + "\n" + a.daemonLog());
            assertEquals("0", after.get("loads.active"), "loads still running once quiet: " + after);
            assertSameEndState(a, "a storm that overflowed the receive buffer");
        }
    }

    private static void assertSameEndState(Autoloading a, String what) {
        Set<String> ours = a.addedModules();
        Map<String, String> bindings = a.bindings();
        if (!ours.equals(udevModules) || !bindings.equals(udevBindings)) {
            Set<String> missing = new TreeSet<>(udevModules);
            missing.removeAll(ours);
            Set<String> extra = new TreeSet<>(ours);
            extra.removeAll(udevModules);
            Map<String, String> bindingDiff = new TreeMap<>();
            for (String k : union(udevBindings.keySet(), bindings.keySet())) {
                String u = udevBindings.get(k);
                String o = bindings.get(k);
                if (u == null || !u.equals(o)) {
                    bindingDiff.put(k, "systemd-udevd " + u + ", autoprobe " + o);
                }
            }
            fail("after " + what + ", autoprobe's daemon and systemd-udevd differ:\n  modules only systemd-udevd loaded: "
                    + missing + "\n  modules only autoprobe loaded: " + extra + "\n  bindings that differ: " + bindingDiff
                    + "\n--- daemon log ---\n" + a.daemonLog());
        }
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> s = new TreeSet<>(x);
        s.addAll(y);
        return s;
    }
}
