package org.autoprobe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.autoprobe.cli.log.JournalServiceProvider;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LinuxKernel;
import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.sys.NativeModuleSyscalls;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.generation.GenerationLoader;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.load.RecordingKernel;
import org.autoprobe.daemon.service.DaemonOptions;
import org.autoprobe.netlink.sys.UeventSocket;
import org.autoprobe.netlink.uevent.UeventIntake;
import org.autoprobe.rules.udev.UdevRulesLoader;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code autoprobe daemon} and {@code autoprobe coldplug} share: where to read, how to load. */
final class DaemonRun {
    @Mixin
    ModuleTreeOptions tree;

    @Option(names = "--sys", paramLabel = "DIR", description = "sysfs mount to read (default: /sys)")
    Path sys;

    @Option(names = "--rules-dir", paramLabel = "DIR",
            description = "Rules directory, highest precedence first (repeatable; default: /etc/autoprobe/rules.d, /usr/lib/autoprobe/rules.d)")
    List<Path> rulesDirs = new ArrayList<>();

    @Option(names = "--trigger", description = "Coldplug by writing 'add <uuid>' to every device's uevent file (the kernel announces them) instead of reading them.")
    boolean trigger;

    @Option(names = {"-n", "--dry-run"}, description = "Decide and report, but load nothing.")
    boolean dryRun;

    @Option(names = "--workers", paramLabel = "N", description = "Loads at once, by the boot plan and by the normal path each (default: 8 plus 2 per CPU, as systemd-udevd's workers; at most 64).")
    int workers = DaemonOptions.defaultWorkers();

    @Option(names = "--receive-buffer", paramLabel = "BYTES",
            description = "Receive buffer to ask for on the uevent socket (default: ${DEFAULT-VALUE}, as udevd); "
                    + "a small one overflows under a storm of events, which a walk of sysfs then makes up for.")
    int receiveBuffer = UeventSocket.DEFAULT_RECEIVE_BUFFER;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    int ringSize = DaemonOptions.DEFAULT_RING_SIZE;

    @Option(names = "--ring-size", paramLabel = "N", defaultValue = "" + DaemonOptions.DEFAULT_RING_SIZE,
            description = "Entries in the event ring, a power of two (default: ${DEFAULT-VALUE}; each holds a copy of one uevent, ~8 KB).")
    void ringSize(int n) {
        if (!validRingSize(n)) {
            throw ParameterErrors.of(mixee, "--ring-size must be a power of two: " + n);
        }
        ringSize = n;
    }

    static boolean validRingSize(int n) {
        return n >= 1 && Integer.bitCount(n) == 1;
    }

    @Option(names = "--settle-timeout", paramLabel = "SECONDS", description = "How long coldplug may take to settle (default: ${DEFAULT-VALUE}).")
    long settleSeconds = 120;

    /** The options above and {@link ModuleTreeOptions}' for {@link PlainOptions}: the same names as their annotations. */
    static List<PlainOptions.Spec> plainSpecs() {
        List<PlainOptions.Spec> specs = new ArrayList<>(ModuleTreeOptions.plainSpecs());
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--sys"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.REPEATABLE, "--rules-dir"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.FLAG, "--trigger"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.FLAG, "-n", "--dry-run"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--workers"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--receive-buffer"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--ring-size"));
        specs.add(new PlainOptions.Spec(PlainOptions.Arity.ONE, "--settle-timeout"));
        return specs;
    }

    /**
     * Sets the option {@code key} (a {@link #plainSpecs} key) to {@code value} (null for a flag)
     * as picocli would; false when {@code key} is not one of these options or picocli would refuse
     * the value (an error for picocli to report: the object is then to be dropped).
     */
    boolean setPlain(String key, String value) {
        return switch (key) {
            case "--sys" -> (sys = PlainOptions.path(value)) != null;
            case "--rules-dir" -> {
                Path p = PlainOptions.path(value);
                yield p != null && rulesDirs.add(p);
            }
            case "--trigger" -> trigger = true;
            case "--dry-run" -> dryRun = true;
            case "--workers" -> (workers = PlainOptions.intValue(value)) >= 0;
            case "--receive-buffer" -> (receiveBuffer = PlainOptions.intValue(value)) >= 0;
            case "--ring-size" -> validRingSize(ringSize = PlainOptions.intValue(value));
            case "--settle-timeout" -> (settleSeconds = PlainOptions.longValue(value)) >= 0;
            default -> tree.setPlain(key, value);
        };
    }

    /**
     * Makes slf4j-simple write one plain line per message (journald adds time and unit), with the
     * journal's priority prefix when standard error is the journal ({@link JournalServiceProvider}).
     */
    static void plainLogLines() {
        setIfAbsent("slf4j.provider", JournalServiceProvider.class.getName());
        // slf4j says at info level that it loads a provider named so: not news for the journal
        setIfAbsent("slf4j.internal.verbosity", "WARN");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    Kernel kernel(PrintWriter err, String tool) {
        SystemRoot system = tree.systemRoot(sys);
        if (dryRun) {
            return new RecordingKernel(new SysfsModuleState(system.sys()));
        }
        return new LinuxKernel(system, NativeModuleSyscalls.system(),
                p -> err.println(tool + ": WARNING: " + p));
    }

    DaemonOptions options(PrintWriter err, String tool, Path control, boolean watch, String notifySocket,
                          Consumer<LoadResult> listener) {
        Kernel kernel = kernel(err, tool);
        GenerationSources sources = GenerationSources.of(tree.systemRoot(sys), tree.moduleDirectory(), tree.configs,
                rulesDirs.isEmpty() ? UdevRulesLoader.DEFAULT_DIRS : rulesDirs);
        GenerationLoader loader = new GenerationLoader(sources, kernel);
        // a dry run never runs an install command: it only says it would
        CommandRunner commands = dryRun ? CommandRunner.DRY_RUN : new ShellCommandRunner();
        return new DaemonOptions(sources, loader::load, kernel, commands, workers,
                trigger ? Coldplug.Mode.TRIGGER : Coldplug.Mode.WALK, control, watch, notifySocket,
                Duration.ofSeconds(settleSeconds), Duration.ofSeconds(10), this::openSocket, listener, ringSize);
    }

    private UeventSocket openSocket() throws java.io.IOException {
        if (receiveBuffer <= 0) {
            throw new java.io.IOException("--receive-buffer must be positive: " + receiveBuffer);
        }
        return UeventSocket.open(receiveBuffer, new UeventIntake());
    }
}
