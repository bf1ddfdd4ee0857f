package org.autoprobe.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Module autoloading in a guest, by systemd-udevd or by autoprobe's daemon, through
 * {@code e2e/scripts/autoload-guest.sh}: start, wait until ready or quiet, and read what ended up
 * loaded and bound. Times are the guest's {@code EPOCHREALTIME} (seconds), so udevd and the daemon
 * are measured by the same clock and the same {@code /proc/modules} monitor.
 */
public final class Autoloading {
    /**
     * Emulated devices for coldplug tests: network (e1000, rtl8139, ne2k_pci, pcnet), virtio (rng,
     * balloon, serial), USB (xhci with a keyboard and a tablet, EHCI, OHCI), sound (HDA with a codec,
     * ES1370), a watchdog, SD, SCSI (LSI, MegaRAID), AHCI and pvpanic; no audio backend.
     */
    public static final List<String> DEVICES = List.of("-audiodev", "none,id=snd0",
            "-device", "e1000", "-device", "rtl8139", "-device", "ne2k_pci", "-device", "pcnet",
            "-device", "virtio-rng-pci", "-device", "virtio-balloon-pci", "-device", "virtio-serial-pci",
            "-device", "qemu-xhci,id=xhci", "-device", "usb-kbd,bus=xhci.0", "-device", "usb-tablet,bus=xhci.0",
            "-device", "usb-ehci", "-device", "pci-ohci",
            "-device", "intel-hda", "-device", "hda-duplex,audiodev=snd0", "-device", "ES1370,audiodev=snd0",
            "-device", "i6300esb", "-device", "sdhci-pci", "-device", "lsi53c895a", "-device", "megasas",
            "-device", "ich9-ahci", "-device", "pvpanic");

    private static final Duration STEP = Duration.ofMinutes(6);

    private final Guest guest;
    private final String script;

    public Autoloading(Guest guest) {
        this.guest = guest;
        this.script = guest.repo().resolve("e2e/scripts/autoload-guest.sh").toString();
    }

    /** The default guest options with {@link #DEVICES}. */
    public static GuestOptions withDevices() {
        return GuestOptions.defaults().withQemuArgs(DEVICES.toArray(String[]::new));
    }

    /** Runs {@code autoload-guest.sh ARGS} and returns its {@code key=value} output lines. */
    public Map<String, String> step(String args) {
        return keyValues(check(script + " " + args).stdout());
    }

    /** Starts recording when the number of loaded modules changes. */
    public void monitor() {
        step("monitor");
    }

    /** Starts recording when the number of loaded modules changes, looking every {@code interval} seconds. */
    public void monitor(String interval) {
        step("monitor " + interval);
    }

    /**
     * Starts {@code autoprobe daemon --control /run/autoprobe/control} through the launcher in the
     * background, with the environment systemd's unit gives it ({@code AUTOPROBE_CDS_DIR=/var/cache/autoprobe});
     * returns its start time.
     */
    public double daemonStartAsUnit() {
        return daemonStartAsUnit("");
    }

    /** {@link #daemonStartAsUnit()} with {@code AUTOPROBE_JAVA_OPTS} set to {@code javaOpts} (unless empty). */
    public double daemonStartAsUnit(String javaOpts) {
        String out = check(javaOptsEnv(javaOpts) + "AUTOPROBE_CDS_DIR=/var/cache/autoprobe " + script
                + " daemon-start --control /run/autoprobe/control").stdout();
        return Double.parseDouble(keyValues(out).get("start"));
    }

    /** {@code AUTOPROBE_JAVA_OPTS='OPTS' } to put before a command, or "" when {@code javaOpts} is empty. */
    static String javaOptsEnv(String javaOpts) {
        return javaOpts.isEmpty() ? "" : "AUTOPROBE_JAVA_OPTS=" + quote(javaOpts) + " ";
    }

    /** {@code s} as one bash word (single quotes). */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** SIGTERM to the daemon; waits until it has exited and returns when it was seen gone. */
    public double daemonStop() {
        return Double.parseDouble(step("daemon-stop 180").get("stopped"));
    }

    /** systemd-udevd's coldplug: {@code start} and {@code settled} times. */
    public Map<String, String> udev() {
        return step("udev");
    }

    /** Starts {@code autoprobe daemon ARGS} in the background; returns its start time. */
    public double daemonStart(String args) {
        return Double.parseDouble(step("daemon-start " + args).get("start"));
    }

    /** Waits for the daemon's "ready:" line (READY=1); returns when it was seen. */
    public double daemonReady() {
        return Double.parseDouble(step("daemon-ready 300").get("ready"));
    }

    /** Waits until {@code /proc/modules} has not changed for {@code seconds}; {@code last_change}, {@code count}. */
    public Map<String, String> quiet(int seconds) {
        return step("quiet " + seconds + " 300");
    }

    /**
     * As {@link #quiet(int)}, but only once the list has changed at least once since {@link #monitor}
     * started: a loader that takes longer than {@code seconds} to its first load is still waited for.
     */
    public Map<String, String> quietAfterAChange(int seconds) {
        return step("quiet " + seconds + " 300 changed");
    }

    /** {@code autoprobe status}, as key to value. */
    public Map<String, String> status() {
        return keyValues(check(guest.launcher() + " status").stdout());
    }

    /** The daemon's log so far. */
    public String daemonLog() {
        return guest.run("cat /run/autoprobe-daemon.log").stdout();
    }

    /** Loaded modules that the initramfs did not load, sorted. */
    public Set<String> addedModules() {
        Set<String> boot = new TreeSet<>();
        guest.bootModules().forEach(m -> boot.add(m.name()));
        Set<String> out = new TreeSet<>(guest.loadedNames());
        out.removeAll(boot);
        return out;
    }

    /**
     * Which drivers are bound: a PCI device by its address ({@code pci/0000:00:04.0} to {@code e1000}),
     * whose address QEMU fixes; on the other buses, how many devices each driver holds
     * ({@code usb/usbhid} to {@code 2}), since their names (USB bus numbers, HID and ATA serials) follow
     * the order in which controllers were probed.
     */
    public Map<String, String> bindings() {
        String text = check("for d in /sys/bus/*/devices/*; do [ -L \"$d/driver\" ] || continue; "
                + "b=${d%/devices/*}; echo \"${b##*/} ${d##*/} $(basename \"$(readlink \"$d/driver\")\")\"; done")
                .stdout();
        Map<String, String> out = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length != 3) {
                continue;
            }
            if (f[0].equals("pci")) {
                out.put("pci/" + f[1], f[2]);
            } else {
                counts.merge(f[0] + "/" + f[2], 1, Integer::sum);
            }
        }
        counts.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    private CommandResult check(String command) {
        CommandResult r = guest.run(command, STEP);
        if (!r.ok()) {
            throw new AssertionError(r.describe() + "\n--- serial console ---\n" + tail(guest.serialLog()));
        }
        return r;
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    static Map<String, String> keyValues(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }
}
