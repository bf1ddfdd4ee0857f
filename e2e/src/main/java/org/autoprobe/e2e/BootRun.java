package org.autoprobe.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One guest boot of issue 11's race: one loader (systemd-udevd, or autoprobe's daemon as its
 * systemd unit starts it) starts at t0 in a fresh guest while a monitor polls {@code /proc/modules}
 * every 0.2 s with shell builtins; {@code first} and {@code last} are the first and last change of
 * the module list after t0, taken once the list has held for 10 s. Then what ended up loaded and
 * bound; for autoprobe also {@code autoprobe status} and, after a SIGTERM and the daemon's exit, its log.
 *
 * @param loader   {@code udevd} or {@code autoprobe}
 * @param first    seconds from t0 to the first change of the module list
 * @param last     seconds from t0 to the last change
 * @param modules  the modules loaded that the initramfs did not load
 * @param bindings {@link Autoloading#bindings()}
 * @param status   {@code autoprobe status} while the daemon ran (empty for udevd)
 * @param log      the daemon's log once it exited (empty for udevd)
 */
public record BootRun(String loader, double first, double last, Set<String> modules, Map<String, String> bindings,
        Map<String, String> status, String log) {
    /** The monitor's interval: the 0.2 s. */
    public static final String POLL = "0.2";
    /** How long the module list must hold before a boot's figures are taken. */
    public static final int HOLD_SECONDS = 10;

    public BootRun {
        modules = Set.copyOf(new TreeSet<>(modules));
        bindings = Map.copyOf(bindings);
        status = Map.copyOf(status);
    }

    /**
     * Boots a guest, runs {@code setup} (a bash script, e.g. a modprobe.d file; may be empty), then
     * systemd-udevd's coldplug ({@code systemd-udevd --daemon}, {@code udevadm trigger} for subsystems
     * and devices, {@code --action=add}).
     */
    public static BootRun udevd(GuestOptions options, String setup) {
        try (Guest guest = Guest.boot(options)) {
            Autoloading a = new Autoloading(guest);
            setup(guest, setup);
            a.monitor(POLL);
            double t0 = Double.parseDouble(a.udev().get("start"));
            Map<String, String> q = a.quietAfterAChange(HOLD_SECONDS);
            return new BootRun("udevd", Double.parseDouble(q.get("first_change")) - t0,
                    Double.parseDouble(q.get("last_change")) - t0, a.addedModules(), a.bindings(), Map.of(), "");
        }
    }

    /**
     * Boots a guest, runs {@code setup}, then {@code autoprobe daemon} through the launcher as the unit
     * starts it; once the module list has held, reads status, end state, stops the daemon (SIGTERM)
     * and waits for its exit, so that what it writes at the end (the CDS archive) is written.
     */
    public static BootRun autoprobe(GuestOptions options, String setup) {
        try (Guest guest = Guest.boot(options)) {
            Autoloading a = new Autoloading(guest);
            setup(guest, setup);
            a.monitor(POLL);
            double t0 = a.daemonStartAsUnit(javaOpts());
            a.quietAfterAChange(HOLD_SECONDS);
            a.daemonReady();
            // held again after READY=1 (at once if it already had): a pause of 10 s mid-coldplug would
            // otherwise cut the boot short
            Map<String, String> q = a.quietAfterAChange(HOLD_SECONDS);
            Map<String, String> status = a.status();
            Set<String> modules = a.addedModules();
            Map<String, String> bindings = a.bindings();
            a.daemonStop();
            String log = a.daemonLog();
            try {
                Files.writeString(guest.outDir().resolve("daemon.log"), log);
            } catch (IOException e) {
                System.err.println("BootRun: cannot keep the daemon's log: " + e);
            }
            return new BootRun("autoprobe", Double.parseDouble(q.get("first_change")) - t0,
                    Double.parseDouble(q.get("last_change")) - t0, modules, bindings, status, log);
        }
    }

    /**
     * The package's installation on this machine, as its maintainer script does it (issue 12): a guest
     * boots, systemd-udevd loads what it loads (the running system autoprobe is installed on), then
     * the launcher builds the daemon's class data ({@code --build-class-data daemon}, with the unit's
     * {@code AUTOPROBE_CDS_DIR=/var/cache/autoprobe}) and {@code autoprobe coldplug --dry-run
     * --write-boot-plan} writes the first boot's plan; both must succeed. The state directory keeps
     * what they wrote for the next boot. Returns one line: how long each took, in s.
     */
    public static String install(GuestOptions options) {
        try (Guest guest = Guest.boot(options)) {
            Autoloading a = new Autoloading(guest);
            a.udev();
            CommandResult cds = guest.run(Boolean.getBoolean("autoprobe.race.noClassData") ? "true"
                    : Autoloading.javaOptsEnv(javaOpts()) + "AUTOPROBE_CDS_DIR=/var/cache/autoprobe " + guest.launcher()
                    + " --build-class-data daemon", java.time.Duration.ofMinutes(15));
            if (!cds.ok()) {
                throw new AssertionError("--build-class-data daemon failed at installation:\n" + cds.describe());
            }
            CommandResult plan = guest.run(guest.launcher()
                    + " coldplug --dry-run --quiet --write-boot-plan /var/lib/autoprobe/boot-plan && test -s /var/lib/autoprobe/boot-plan",
                    java.time.Duration.ofMinutes(10));
            if (!plan.ok()) {
                throw new AssertionError("coldplug --write-boot-plan failed at installation:\n" + plan.describe());
            }
            return String.format(Locale.ROOT, "class data built in %.1f s, boot plan written in %.1f s",
                    cds.elapsed().toMillis() / 1000.0, plan.elapsed().toMillis() / 1000.0);
        }
    }

    /**
     * {@code autoprobe.race.javaOpts}: JVM options for the race's daemon and its installation's class
     * data (the same in both, as they are part of the class data's stamp), e.g. the boot plan's debug
     * lines; empty (the default) for the unit's environment.
     */
    static String javaOpts() {
        return System.getProperty("autoprobe.race.javaOpts", "").strip();
    }

    private static void setup(Guest guest, String script) {
        if (script != null && !script.isBlank()) {
            guest.check(script);
        }
    }

    /** Whether the daemon said it wrote its boot plan. */
    public boolean planWritten() {
        return log.lines().anyMatch(l -> l.contains("boot plan written"));
    }

    /** One line for a table: loader, first, last, module count, and the boot plan's use for autoprobe. */
    public String describe() {
        String plan = status.isEmpty() ? ""
                : "  bootplan.used=" + status.get("bootplan.used") + " devices_unchanged="
                        + status.get("bootplan.devices_unchanged") + "/" + status.get("bootplan.devices")
                        + " inserted=" + status.get("bootplan.inserted");
        return String.format(Locale.ROOT, "%-9s first %6.2f s  last %6.2f s  %3d modules%s", loader, first, last,
                modules.size(), plan);
    }

    /**
     * Where this boot's end state differs from {@code reference}'s: modules only one of them loaded,
     * bindings that differ; null when they are the same.
     */
    public String differencesFrom(BootRun reference) {
        if (modules.equals(reference.modules) && bindings.equals(reference.bindings)) {
            return null;
        }
        Set<String> missing = new TreeSet<>(reference.modules);
        missing.removeAll(modules);
        Set<String> extra = new TreeSet<>(modules);
        extra.removeAll(reference.modules);
        Map<String, String> bindingDiff = new TreeMap<>();
        Set<String> keys = new TreeSet<>(reference.bindings.keySet());
        keys.addAll(bindings.keySet());
        for (String k : keys) {
            String r = reference.bindings.get(k);
            String o = bindings.get(k);
            if (r == null || !r.equals(o)) {
                bindingDiff.put(k, reference.loader + " " + r + ", " + loader + " " + o);
            }
        }
        return "modules only " + reference.loader + " loaded: " + missing + "\n  modules only " + loader + " loaded: "
                + extra + "\n  bindings that differ: " + bindingDiff;
    }

    /** The median of some values (the mean of the middle two for an even count); NaN for none. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code key=value} lines of the status, for a failure message. */
    public String statusText() {
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(status));
        StringBuilder b = new StringBuilder();
        sorted.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }
}
