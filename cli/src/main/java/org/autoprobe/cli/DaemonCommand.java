package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.autoprobe.daemon.control.ControlClient;
import org.autoprobe.daemon.service.Daemon;
import org.autoprobe.daemon.service.DaemonOptions;
import org.autoprobe.daemon.service.Signals;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe daemon}: the resident autoloader, for a systemd {@code Type=notify} service.
 * SIGHUP reloads the index and configuration; SIGTERM and SIGINT stop it cleanly.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Load drivers for devices as the kernel announces them (coldplug first), until stopped.")
final class DaemonCommand implements Callable<Integer>, Main.Direct {
    /** Signals (names without {@code SIG}) that stop the daemon cleanly. */
    static final List<String> STOP_SIGNALS = List.of("TERM", "INT");
    /** The signal that reloads the index and configuration. */
    static final String RELOAD_SIGNAL = "HUP";

    @Spec
    CommandSpec spec;

    @Mixin
    DaemonRun run;

    @Option(names = "--control", paramLabel = "PATH", description = "Control socket (default: ${DEFAULT-VALUE}).")
    Path control = ControlClient.DEFAULT_SOCKET;

    @Option(names = "--no-control", description = "No control socket.")
    boolean noControl;

    @Option(names = "--no-watch", description = "Do not reload when the index or configuration files change (SIGHUP still does).")
    boolean noWatch;

    /** Where the boot plan is kept unless {@code --boot-plan} says otherwise. */
    static final Path DEFAULT_BOOT_PLAN = Path.of("/var/lib/autoprobe/boot-plan");

    @Option(names = "--boot-plan", paramLabel = "FILE",
            description = "Where the last boot's decisions are kept, to be carried out at once at the next start when "
                    + "nothing they depend on has changed (default: /var/lib/autoprobe/boot-plan). A dry run uses "
                    + "none unless given one, and then only reads it (its loads are recorded, not made).")
    Path bootPlan;

    @Option(names = "--no-boot-plan", description = "Neither read nor write a boot plan.")
    boolean noBootPlan;

    @Option(names = "--notify-ready", paramLabel = "WHEN",
            description = "When systemd is told READY=1: 'settled' (default: once coldplug has settled, so that "
                    + "`systemctl start` returns with the drivers loaded) or 'start' (at once, as systemd-udevd is "
                    + "ready before its coldplug: the boot goes on while coldplug runs; READY=1 with the final "
                    + "STATUS= follows when it has settled). The unit uses 'start'.")
    String notifyReady = "settled";

    @Option(names = "--metrics-file", paramLabel = "PATH",
            description = "Write the daemon's counters and load time histogram to PATH in the Prometheus text format "
                    + "(for node_exporter's textfile collector: a *.prom file in its directory), replaced whole "
                    + "(atomically, mode 0644) soon after the start, every --metrics-interval and at the stop.")
    Path metricsFile;

    @Option(names = "--metrics-interval", paramLabel = "SECONDS",
            description = "How often the metrics file is written (default: ${DEFAULT-VALUE}).")
    long metricsInterval = DaemonOptions.DEFAULT_METRICS_INTERVAL.toSeconds();

    /** {@code --notify-ready}'s value: true for {@code start}, false for {@code settled}; else an error. */
    static boolean readyAtStart(String when) {
        return switch (when) {
            case "start" -> true;
            case "settled" -> false;
            default -> throw new IllegalArgumentException("--notify-ready: 'start' or 'settled', not '" + when + "'");
        };
    }

    /**
     * {@code options} with this command's boot plan: none with {@code --no-boot-plan}; in a dry run,
     * only a plan named by {@code --boot-plan}, read and never written (the launcher's class-data
     * training goes through the plan's code that way); else the plan's file, carried out and written.
     */
    DaemonOptions withBootPlan(DaemonOptions options, boolean none, boolean dryRun) {
        if (none) {
            return options.withBootPlan(null);
        }
        if (dryRun) {
            return bootPlan == null ? options.withBootPlan(null) : options.withBootPlanCarriedOutOnly(bootPlan);
        }
        return options.withBootPlan(bootPlan == null ? DEFAULT_BOOT_PLAN : bootPlan);
    }

    /**
     * The command as picocli would configure it from {@code args} (which start with
     * {@code daemon}), or null when {@code args} are anything but its options in the plain forms
     * of {@link PlainOptions}: building picocli's model of the command from its annotations costs
     * the daemon's start ~700 classes (2.3 s of a boot under emulation, 4.2 s without a CDS
     * archive). Help, version, errors and every other form still go to picocli;
     * {@code DaemonFastPathTest} checks that both configure the command alike.
     */
    static DaemonCommand fastPath(String[] args) {
        if (args.length == 0 || !args[0].equals("daemon")) {
            return null;
        }
        List<PlainOptions.Spec> specs = DaemonRun.plainSpecs();
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--control"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.FLAG, "--no-control"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.FLAG, "--no-watch"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--boot-plan"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.FLAG, "--no-boot-plan"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--notify-ready"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--metrics-file"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--metrics-interval"));
        List<PlainOptions.Given> given = PlainOptions.parse(args, 1, specs);
        if (given == null) {
            return null;
        }
        DaemonCommand c = new DaemonCommand();
        c.run = new DaemonRun();
        c.run.tree = new ModuleTreeOptions();
        for (PlainOptions.Given g : given) {
            boolean ok = switch (g.key()) {
                case "--control" -> (c.control = PlainOptions.path(g.value())) != null;
                case "--no-control" -> c.noControl = true;
                case "--no-watch" -> c.noWatch = true;
                case "--boot-plan" -> (c.bootPlan = PlainOptions.path(g.value())) != null;
                case "--no-boot-plan" -> c.noBootPlan = true;
                case "--notify-ready" -> (g.value().equals("start") || g.value().equals("settled"))
                        && (c.notifyReady = g.value()) != null;
                case "--metrics-file" -> (c.metricsFile = PlainOptions.path(g.value())) != null;
                case "--metrics-interval" -> (c.metricsInterval = PlainOptions.longValue(g.value())) >= 1;
                default -> c.run.setPlain(g.key(), g.value());
            };
            if (!ok) {
                return null;
            }
        }
        return c;
    }

    @Override
    public Integer call() throws InterruptedException {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * Runs the daemon until it is stopped: what {@link #call} does once picocli has configured the
     * command, and what {@link Main#run} does with a command from {@link #fastPath}.
     */
    @Override
    public int run(PrintWriter out, PrintWriter err) throws InterruptedException {
        DaemonRun.plainLogLines();
        boolean atStart;
        try {
            atStart = readyAtStart(notifyReady);
        } catch (IllegalArgumentException e) {
            err.println("autoprobe daemon: " + e.getMessage());
            return 2;
        }
        if (metricsInterval < 1) {
            err.println("autoprobe daemon: --metrics-interval must be at least 1 second: " + metricsInterval);
            return 2;
        }
        // a SIGTERM during a long coldplug still stops cleanly, once the start is done
        AtomicReference<Daemon> running = new AtomicReference<>();
        AtomicBoolean stopAsked = new AtomicBoolean();
        Runnable stop = () -> {
            stopAsked.set(true);
            Daemon d = running.get();
            if (d != null) {
                new Thread(d::stop, "autoprobe-stop").start();
            }
        };
        // on a thread of their own, beside the start (0.15 s under emulation, which the boot plan's
        // first insert need not wait for); a SIGTERM before they are in ends the JVM as by default
        Thread handlers = new Thread(() -> {
            for (String name : STOP_SIGNALS) {
                Signals.handle(name, stop);
            }
            Signals.handle(RELOAD_SIGNAL, () -> {
                Daemon d = running.get();
                if (d != null) {
                    d.requestReload();
                }
            });
        }, "autoprobe-signals");
        handlers.setDaemon(true);
        handlers.start();
        Daemon daemon;
        try {
            daemon = Daemon.start(withBootPlan(run.options(err, "autoprobe daemon", noControl ? null : control, !noWatch,
                    System.getenv("NOTIFY_SOCKET"), r -> { }), noBootPlan, run.dryRun).withReadyAtStart(atStart)
                    .withMetrics(metricsFile, java.time.Duration.ofSeconds(metricsInterval)));
        } catch (IOException e) {
            err.println("autoprobe daemon: " + e.getMessage());
            return 1;
        }
        running.set(daemon);
        if (stopAsked.get()) {
            daemon.stop();
        }
        daemon.awaitStopped();
        return 0;
    }
}
