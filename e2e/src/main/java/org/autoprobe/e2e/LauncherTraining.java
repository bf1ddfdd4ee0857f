package org.autoprobe.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the launcher's commands once on the host, on the guests' own module tree, before any guest
 * starts a JVM. The launcher keeps one class-data (CDS) archive per subcommand, written by that
 * command's first run; guests see this checkout through a throw-away overlay, so without this every
 * JVM in every guest would start without one and write one at exit. What an installed system has
 * after its first boot, the guests have from their first command.
 *
 * <p>On a JDK 24+ (the launcher runs the newest JDK it finds) the archives are AOT caches, which the
 * second run assembles in the background; training waits for them.
 *
 * <p>Nothing here is asserted: a training run that fails only leaves that command without an
 * archive (the launcher never lets one change what a command prints).
 */
final class LauncherTraining {
    private static final long READY_WAIT_SECONDS = 180;
    private static boolean trained;

    private LauncherTraining() {
    }

    static synchronized void train(Path repo, Path guestScript) {
        if (trained) {
            return;
        }
        trained = true;
        Map<String, String> prepared = prepare(guestScript);
        String moddir = prepared.get("moddir");
        String kver = prepared.get("kver");
        String launcher = repo.resolve("autoprobe").toString();
        if (moddir == null || kver == null || !moddir.endsWith("/lib/modules/" + kver)) {
            run(List.of(launcher, "status", "--help"));
            return;
        }
        String root = moddir.substring(0, moddir.length() - ("/lib/modules/" + kver).length());
        daemon(List.of(launcher, "daemon", "--dry-run", "--no-control", "--no-watch", "-d", root, "-S", kver));
        run(List.of(launcher, "coldplug", "--dry-run", "-q", "-d", root, "-S", kver));
        run(List.of(launcher, "modprobe", "-d", root, "-S", kver, "--show-depends", "snd-hda-intel"));
        run(List.of(launcher, "modinfo", "-b", root, "-k", kver, "snd-hda-intel"));
        for (String command : List.of("insmod", "rmmod", "lsmod", "status", "monitor")) {
            run(List.of(launcher, command, "--help"));
        }
        // a run writes its archive as it exits; the launcher's next run of that command puts it in place
        for (String command : List.of("daemon", "coldplug", "modprobe", "modinfo", "insmod", "rmmod", "lsmod", "status",
                "monitor")) {
            run(List.of(launcher, command, "--help"));
        }
        awaitAssembled(repo.resolve("cli/target"));
    }

    /**
     * On a JDK 24+ the launcher's second run of a command assembles its AOT cache in the background
     * (a file {@code autoprobe-COMMAND.aot.assembling.PID} meanwhile): the guests should find the
     * caches in place, not start while they are made (at most {@link #READY_WAIT_SECONDS}).
     */
    private static void awaitAssembled(Path dir) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_WAIT_SECONDS);
        try {
            while (System.nanoTime() < end) {
                boolean busy;
                try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                    busy = s.anyMatch(f -> f.getFileName().toString().contains(".assembling."));
                }
                if (!busy) {
                    return;
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            // no directory to look at: nothing is being assembled there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> prepare(Path guestScript) {
        try {
            Process p = new ProcessBuilder(guestScript.toString(), "prepare").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return Map.of();
            }
            Map<String, String> m = new java.util.HashMap<>();
            out.lines().forEach(l -> {
                int eq = l.indexOf('=');
                if (eq > 0) {
                    m.put(l.substring(0, eq), l.substring(eq + 1));
                }
            });
            return m;
        } catch (IOException e) {
            throw new GuestException("cannot run " + guestScript + " prepare: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static void run(List<String> command) {
        runUntil(command, null);
    }

    /** The daemon runs until it says it is ready, then stops on SIGTERM (its archive is written at exit). */
    private static void daemon(List<String> command) {
        runUntil(command, "INFO ready:");
    }

    /**
     * Runs a command to its end, or, with {@code readyLine}, until its output has a line starting with
     * it (at most {@link #READY_WAIT_SECONDS}) and then stops it with SIGTERM: the launcher execs the
     * JVM, so that is a clean stop, and the archive is written at exit.
     */
    private static void runUntil(List<String> command, String readyLine) {
        Path log = null;
        Process p = null;
        try {
            log = Files.createTempFile("autoprobe-training", ".log");
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (readyLine != null) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_WAIT_SECONDS);
                while (p.isAlive() && System.nanoTime() < end && !hasLine(log, readyLine)) {
                    Thread.sleep(100);
                }
                p.destroy();
            }
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new GuestException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (p != null) {
                p.destroyForcibly();
            }
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static boolean hasLine(Path log, String start) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith(start)) {
                return true;
            }
        }
        return false;
    }
}
