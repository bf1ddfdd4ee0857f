package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * systemd-udevd with kmod or autoprobe's daemon announced its devices: after a plain start, after
 * the daemon was killed mid-coldplug and started again, and after a storm of events overflowed a
 * deliberately small receive buffer. systemd-udevd runs once, in its own guest, as the reference.
 */
class ColdplugE2EIT {
    private static Set<String> udevModules;
    private static Map<String, String> udevBindings;
    private static double udevSettled;
    private static double udevLastLoad;

    @BeforeAll
    static void systemdUdevdReference() {
        try (Guest guest = Guest.boot(Autoloading.withDevices())) {
            Autoloading a = new Autoloading(guest);
            a.monitor();
            Map<String, String> u = a.udev();
            Map<String, String> q = a.quiet(3);
            double start = Double.parseDouble(u.get("start"));
            udevSettled = Double.parseDouble(u.get("settled")) - start;
            udevLastLoad = Double.parseDouble(q.get("last_change")) - start;
            double first = Double.parseDouble(q.get("first_change")) - start;
            udevModules = a.addedModules();
            udevBindings = a.bindings();
            System.out.printf(Locale.ROOT, "ColdplugE2EIT: systemd-udevd: first module loaded after %.2f s,"
                    + " trigger+settle %.2f s, last module loaded after %.2f s, %d modules (+%d at boot)%n", first, udevSettled, udevLastLoad, udevModules.size(),
                    guest.bootModules().size());
        }
        assertTrue(udevModules.size() >= 40, "systemd-udevd loaded only " + udevModules);
    }

    @Test
    void daemonLoadsWhatSystemdUdevdLoads() {
        try (Guest guest = Guest.boot(Autoloading.withDevices())) {
            Autoloading a = new Autoloading(guest);
            a.monitor();
            double start = a.daemonStart("--no-watch");
            double ready = a.daemonReady() - start;
            Map<String, String> quiet = a.quiet(3);
            double first = Double.parseDouble(quiet.get("first_change")) - start;
            double last = Double.parseDouble(quiet.get("last_change")) - start;
            Map<String, String> status = a.status();
            System.out.printf(Locale.ROOT, "ColdplugE2EIT: autoprobe daemon: first module loaded after %.2f s,"
                    + " ready (READY=1) after %.2f s, last module loaded after %.2f s (JVM start included); systemd-udevd: settled %.2f s, last module %.2f s;"
                    + " ratio (last module) %.2f%n", first, ready, last, udevSettled, udevLastLoad, last / udevLastLoad);
            assertEquals("0", status.get("loads.active"), "loads still running once quiet: " + status);
            assertSameEndState(a, "a plain start");
        }
    }

    @Test
    void daemonKilledMidColdplugAndStartedAgainEndsTheSame() {
        try (Guest guest = Guest.boot(Autoloading.withDevices())) {
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
    void overflowUnderAStormIsResynchronised() {
        try (Guest guest = Guest.boot(Autoloading.withDevices())) {
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
