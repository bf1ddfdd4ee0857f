package org.autoprobe.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running QEMU guest: Debian's current kernel over this machine's root (read-only 9p under a
 * tmpfs overlay, so {@code bash}, the JDK, kmod's tools and this checkout are all there), the
 * kernel's own modules at {@code /lib/modules/<kver>}, and a writable share through which the host
 * sends bash scripts and gets back their stdout, stderr and exit code. Scripts run as root, one at
 * a time, in the order sent, with a fresh {@code /tmp} and {@code /run}.
 *
 * <p>With {@link GuestOptions#debian13System()} the guest is a real Debian 13 system instead
 * ({@code e2e/scripts/debian13-system.sh}): its own disk (a copy-on-write overlay of a debootstrapped
 * image), Debian 13's kernel and initramfs, systemd as PID 1, and a unit ({@code e2e-agent.service}) that
 * serves the same requests on that system, from the start of {@code multi-user.target}; the rest of the
 * boot may still be going on (wait with {@code systemctl is-system-running --wait}). This checkout is not
 * there: files go in through {@link #outDir()} ({@code /e2e} in the guest).
 *
 * <pre>{@code
 * try (Guest guest = Guest.boot(GuestOptions.defaults())) {
 *     CommandResult r = guest.run("modprobe -v dummy");
 *     List<ProcModule> loaded = guest.procModules();
 * }
 * }</pre>
 */
public final class Guest implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long a serial console may stay silent before the kernel starts init until the boot counts as hung. */
    private static final Duration KERNEL_STALL = Duration.ofSeconds(120);
    private static final int LOG_TAIL_LINES = 200;
    private static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(60);

    private final GuestOptions options;
    private final Path out;
    private final Process qemu;
    private final String kernelVersion;
    private final List<ProcModule> bootModules;
    private final Duration bootTime;
    private int next = 1;
    private boolean closed;
    private Qmp qmp;

    private Guest(GuestOptions options, Path out, Process qemu, String kernelVersion, List<ProcModule> bootModules,
            Duration bootTime) {
        this.options = options;
        this.out = out;
        this.qemu = qemu;
        this.kernelVersion = kernelVersion;
        this.bootModules = bootModules;
        this.bootTime = bootTime;
    }

    /**
     * Boots a guest and waits until its init is ready for scripts.
     *
     * @throws GuestException when QEMU exits first or the guest is not ready within the boot timeout;
     *                        the message holds the tail of the serial console and of QEMU's output
     */
    public static Guest boot(GuestOptions options) {
        if (options.buildLauncher()) {
            LauncherBuild.ensure(options.repo());
            LauncherTraining.train(options.repo(), options.guestScript());
        }
        Path out;
        try {
            Files.createDirectories(options.workDir());
            out = Files.createTempDirectory(options.workDir(), "guest-");
        } catch (IOException e) {
            throw new GuestException("cannot make a directory for the guest in " + options.workDir() + ": "
                    + e.getMessage(), e);
        }
        if (options.kind() == GuestOptions.Kind.DEBIAN13_SYSTEM) {
            prepare(options, out);
        }
        long start = System.nanoTime();
        Process qemu = launch(options, out);
        Path ready = out.resolve("ready");
        Path serial = out.resolve("serial.log");
        long deadline = start + options.bootTimeout().toNanos();
        long serialBytes = -1;
        long grewAt = System.nanoTime();
        boolean bootedAgain = false;
        while (!Files.exists(ready)) {
            if (!qemu.isAlive()) {
                throw new GuestException("the guest exited (code " + qemu.exitValue() + ") before it was ready"
                        + logs(out));
            }
            long now = System.nanoTime();
            long bytes = size(serial);
            if (bytes != serialBytes) {
                serialBytes = bytes;
                grewAt = now;
            } else if (!bootedAgain && now - grewAt > KERNEL_STALL.toNanos() && !initStarted(serial)) {
                // the emulator hung in the kernel's own boot (seen once under TCG: the console stopped
                // at 0.25 s, before SMP bring-up): nothing of ours has run yet; one more boot, said
                System.err.println("Guest: the serial console stopped growing for " + KERNEL_STALL.toSeconds()
                        + " s before the kernel started init (QEMU hung in the kernel's boot); booting once more;"
                        + " the hung boot's console: " + out.resolve("serial.hung.log"));
                qemu.destroyForcibly();
                try {
                    qemu.waitFor(30, TimeUnit.SECONDS);
                    Files.move(serial, out.resolve("serial.hung.log"), StandardCopyOption.REPLACE_EXISTING);
                    Files.move(out.resolve("qemu.log"), out.resolve("qemu.hung.log"), StandardCopyOption.REPLACE_EXISTING);
                    Files.deleteIfExists(out.resolve("qmp.sock"));
                } catch (IOException e) {
                    throw new GuestException("cannot set the hung boot's files aside in " + out + ": " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GuestException("interrupted while stopping a hung guest", e);
                }
                bootedAgain = true;
                qemu = launch(options, out);
                start = System.nanoTime();
                deadline = start + options.bootTimeout().toNanos();
                serialBytes = -1;
                grewAt = start;
                continue;
            }
            if (now > deadline) {
                qemu.destroyForcibly();
                throw new GuestException("the guest was not ready within " + options.bootTimeout().toSeconds() + " s"
                        + logs(out));
            }
            sleep(POLL);
        }
        Duration bootTime = Duration.ofNanos(System.nanoTime() - start);
        return new Guest(options, out, qemu, read(ready).strip(),
                ProcModule.parseAll(read(out.resolve("res/boot-modules"))), bootTime);
    }

    /** Starts QEMU through the guest script, its output in {@code OUT/qemu.log}. */
    private static Process launch(GuestOptions options, Path out) {
        try {
            List<String> command = new ArrayList<>(List.of(options.guestScript().toString(), "boot", out.toString()));
            command.addAll(options.kernelArgs());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(out.resolve("qemu.log").toFile());
            pb.environment().put("AUTOPROBE_E2E_QEMU_ARGS", String.join(" ", options.qemuArgs()));
            pb.environment().put("AUTOPROBE_E2E_MEM", Integer.toString(options.memoryMb()));
            pb.environment().put("AUTOPROBE_E2E_CPUS", Integer.toString(options.cpus()));
            options.accel().ifPresent(a -> pb.environment().put("AUTOPROBE_E2E_ACCEL", a));
            pb.environment().remove("AUTOPROBE_E2E_STATE_DIR");
            options.stateDir().ifPresent(d -> pb.environment().put("AUTOPROBE_E2E_STATE_DIR", d.toString()));
            pb.environment().remove("AUTOPROBE_E2E_DISK");
            options.disk().ifPresent(d -> pb.environment().put("AUTOPROBE_E2E_DISK", d.toString()));
            return pb.start();
        } catch (IOException e) {
            throw new GuestException("cannot start " + options.guestScript() + ": " + e.getMessage(), e);
        }
    }

    /** The file's size, or 0 while it does not exist. */
    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether the kernel has said it starts init ({@code Run /init as init process}) on this console. */
    private static boolean initStarted(Path serial) {
        try {
            return new String(Files.readAllBytes(serial), StandardCharsets.ISO_8859_1).contains(" as init process");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The Debian 13 system guest's image, made or checked before the boot clock starts ({@code prepare}: the
     * first time a debootstrap from Debian's archive, minutes; then a look at the cache). Output in
     * {@code OUT/prepare.log}.
     */
    private static void prepare(GuestOptions options, Path out) {
        Path log = out.resolve("prepare.log");
        try {
            Process p = new ProcessBuilder(options.guestScript().toString(), "prepare").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(PREPARE_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new GuestException(options.guestScript() + " prepare did not finish within "
                        + PREPARE_TIMEOUT.toMinutes() + " min:\n" + tail(log));
            }
            if (p.exitValue() != 0) {
                throw new GuestException(options.guestScript() + " prepare failed (exit " + p.exitValue() + "):\n"
                        + tail(log));
            }
        } catch (IOException e) {
            throw new GuestException("cannot run " + options.guestScript() + " prepare: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestException("interrupted while preparing the guest", e);
        }
    }

    /** Runs a bash script as root in the guest with the default timeout. */
    public CommandResult run(String script) {
        return run(script, options.commandTimeout());
    }

    /**
     * Runs a bash script as root in the guest ({@code cd /}, environment: PATH, HOME=/root, LANG=C.UTF-8)
     * and waits for its result.
     *
     * @throws GuestException when the guest dies or the script does not finish in time (the guest is
     *                        then stopped: later calls fail too)
     */
    public synchronized CommandResult run(String script, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("the guest is closed");
        }
        int n = next++;
        long start = System.nanoTime();
        Path request = out.resolve("req/" + n + ".sh");
        try {
            Path tmp = out.resolve("req/" + n + ".tmp");
            Files.writeString(tmp, script, StandardCharsets.UTF_8);
            Files.move(tmp, request, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + request, e);
        }
        Path rc = out.resolve("res/" + n + ".rc");
        long deadline = start + timeout.toNanos();
        while (!Files.exists(rc)) {
            if (!qemu.isAlive()) {
                throw new GuestException("the guest died while running script " + n + ":\n" + script + logs(out));
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new GuestException("script " + n + " did not finish within " + timeout.toSeconds() + " s:\n"
                        + script + logs(out));
            }
            sleep(POLL);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int exit = Integer.parseInt(read(rc).strip());
        return new CommandResult(script, read(out.resolve("res/" + n + ".out")),
                read(out.resolve("res/" + n + ".err")), exit, elapsed);
    }

    /** Runs a script that must succeed; a failure throws with its output. */
    public CommandResult check(String script) {
        CommandResult r = run(script);
        if (!r.ok()) {
            throw new AssertionError(r.describe());
        }
        return r;
    }

    /** The guest's {@code /proc/modules} now. */
    public List<ProcModule> procModules() {
        return ProcModule.parseAll(check("cat /proc/modules").stdout());
    }

    /** The names in {@code /proc/modules}, in its order. */
    public List<String> loadedNames() {
        return procModules().stream().map(ProcModule::name).toList();
    }

    /** {@code /sys/module/<module>/parameters/*}: name to value (trailing newline dropped); empty when none. */
    public Map<String, String> parameters(String module) {
        String text = check("d=/sys/module/" + module + "/parameters; [ -d $d ] || exit 0; "
                + "for f in $d/*; do [ -r $f ] && printf '%s=%s\\n' \"${f##*/}\" \"$(cat $f)\"; done").stdout();
        Map<String, String> params = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                params.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return params;
    }

    /** Whether {@code /sys/module/<module>} exists (loaded, or built in with parameters). */
    public boolean sysModuleExists(String module) {
        return run("[ -d /sys/module/" + module + " ]").ok();
    }

    /**
     * Unloads every module that was not loaded at boot, repeatedly removing the unused ones, and
     * returns what could not be removed (empty when the guest is back to its boot state).
     */
    public List<String> unloadAllButBootModules() {
        StringBuilder keep = new StringBuilder(" ");
        bootModules.forEach(m -> keep.append(m.name()).append(' '));
        String script = "keep='" + keep + "'\n"
                + "for pass in $(seq 1 30); do\n"
                + "  progress=0\n"
                + "  while read -r name size ref rest; do\n"
                + "    case \"$keep\" in *\" $name \"*) continue ;; esac\n"
                + "    if [ \"$ref\" = 0 ] && rmmod \"$name\" 2>/dev/null; then progress=1; fi\n"
                + "  done < /proc/modules\n"
                + "  [ $progress = 1 ] || break\n"
                + "done\n"
                + "while read -r name rest; do case \"$keep\" in *\" $name \"*) ;; *) echo \"$name\" ;; esac; done < /proc/modules\n";
        return check(script).stdout().lines().filter(s -> !s.isBlank()).toList();
    }

    /** The kernel release the guest runs ({@code uname -r}). */
    public String kernelVersion() {
        return kernelVersion;
    }

    /**
     * What the initramfs loaded to mount the root (virtio, 9p, overlay): the baseline of {@code /proc/modules}.
     * The Debian 13 system guest: {@code /proc/modules} as its agent started (whatever its initramfs, udevd and
     * systemd had loaded by then).
     */
    public List<ProcModule> bootModules() {
        return bootModules;
    }

    /**
     * From starting QEMU (and guest.sh's preparation) to the guest being ready; for the Debian 13 system guest,
     * from starting QEMU (its image already prepared) to its agent being ready.
     */
    public Duration bootTime() {
        return bootTime;
    }

    /**
     * The project's launcher, as a path valid in the guest.
     *
     * @throws IllegalStateException on the Debian 13 system guest, which does not see this checkout
     */
    public String launcher() {
        if (options.kind() != GuestOptions.Kind.HOST_ROOT) {
            throw new IllegalStateException("the " + options.kind() + " guest does not see the checkout's launcher;"
                    + " install the package there (/usr/sbin/autoprobe)");
        }
        return options.launcher().toString();
    }

    /** The project's checkout, at the same path inside the host-root guest (on the host only, for the Debian 13 system guest). */
    public Path repo() {
        return options.repo();
    }

    /** QEMU's machine protocol for this guest (connected on first use, closed with the guest). */
    public synchronized Qmp qmp() {
        if (closed) {
            throw new IllegalStateException("the guest is closed");
        }
        if (qmp == null) {
            qmp = Qmp.connect(out.resolve("qmp.sock"));
        }
        return qmp;
    }

    /** The host directory shared with the guest (the guest sees it at {@code /e2e}). */
    public Path outDir() {
        return out;
    }

    /** The serial console so far. */
    public String serialLog() {
        Path log = out.resolve("serial.log");
        return Files.exists(log) ? read(log) : "";
    }

    /**
     * Asks the guest to power off; kills QEMU if it has not exited in time (30 s; the Debian 13 system guest,
     * which shuts systemd down in order, 120 s).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (qmp != null) {
            qmp.close();
        }
        try {
            Files.writeString(out.resolve("req/stop"), "");
            if (!qemu.waitFor(options.kind().shutdownTimeout().toSeconds(), TimeUnit.SECONDS)) {
                qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            qemu.destroyForcibly();
        } catch (InterruptedException e) {
            qemu.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String logs(Path out) {
        return "\n--- serial console (" + out.resolve("serial.log") + "), last lines ---\n"
                + tail(out.resolve("serial.log")) + "\n--- boot script / QEMU output ---\n" + tail(out.resolve("qemu.log"));
    }

    private static String tail(Path file) {
        if (!Files.exists(file)) {
            return "(none)";
        }
        List<String> lines = read(file).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestException("interrupted while waiting for the guest", e);
        }
    }
}
