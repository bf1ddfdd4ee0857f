package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.sys.Syslog;
import org.autoprobe.core.tools.Modprobe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe modprobe}: kmod 30's modprobe: insertion (dependencies, softdeps, install
 * commands, options), removal ({@code -r}), and the modes that decide and print:
 * {@code --show-depends}, {@code -R}, {@code -c} and {@code -n}. This class parses the options and
 * prints; core's {@link Modprobe} does the work.
 */
@Command(name = "modprobe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Add or remove modules and their dependencies (kmod-compatible).")
final class ModprobeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = {"-r", "--remove"}, description = "Remove the modules, then their unused dependencies.")
    boolean remove;

    @Option(names = {"--remove-holders", "--remove-dependencies"},
            description = "With -r: first remove the modules holding each one.")
    boolean removeHolders;

    @Option(names = {"-w", "--wait"}, paramLabel = "MSEC",
            description = "With -r: wait up to MSEC for a module in use to become free.")
    String waitMsec;

    @Option(names = {"-f", "--force"}, description = "Force: ignore symbol versions and version magic; force removal.")
    boolean force;

    @Option(names = "--force-modversion", description = "Ignore symbol versions.")
    boolean forceModversion;

    @Option(names = "--force-vermagic", description = "Ignore the version magic.")
    boolean forceVermagic;

    @Option(names = {"-s", "--syslog"}, description = "Send messages to syslog instead of standard error.")
    boolean syslog;

    /** Opens the log for {@code -s}, given the program name (tests put a recording sink here). */
    Function<String, LogSink> syslogs = Syslog::open;

    @Option(names = {"-a", "--all"}, description = "Consider every argument a module name or alias.")
    boolean all;

    @Option(names = {"-R", "--resolve-alias"}, description = "Only print the modules an alias resolves to.")
    boolean resolveAlias;

    @Option(names = {"-D", "--show-depends"}, description = "Print the dependencies and what would be inserted.")
    boolean showDepends;

    @Option(names = {"-c", "--showconfig", "--show-config"}, description = "Print the effective configuration and indexes.")
    boolean showConfig;

    @Option(names = {"--show-modversions", "--dump-modversions"},
            description = "Print the symbol versions a module file needs (its __versions table).")
    boolean showModversions;

    @Option(names = "--show-exports", description = "Print the symbols a module file exports, with their versions.")
    boolean showExports;

    @Option(names = {"-n", "--dry-run", "--show"}, description = "Do everything but insert or remove.")
    boolean dryRun;

    @Option(names = {"-i", "--ignore-install", "--ignore-remove"}, description = "Ignore install and remove commands.")
    boolean ignoreInstall;

    @Option(names = {"-b", "--use-blacklist"}, description = "Apply the blacklist to module names too.")
    boolean useBlacklist;

    @Option(names = "--first-time", description = "Fail if the module is already loaded.")
    boolean firstTime;

    @Option(names = {"-q", "--quiet"}, description = "Do not print error messages.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print what is done (repeat for more).")
    boolean[] verbose = new boolean[0];

    @Parameters(paramLabel = "MODULE", description = "A module name or alias, then module parameters (with -a: several names).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Modprobe.Options options = new Modprobe.Options(args, remove, removeHolders, waitMsec, force, forceModversion,
                forceVermagic, all, resolveAlias, showDepends, showConfig, showModversions, showExports, dryRun,
                ignoreInstall, useBlacklist, firstTime, quiet, verbose.length, syslog);
        ToolResult r;
        try {
            r = new Modprobe(host(err)).run(options);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return ToolOutput.print(r, out, err);
    }

    /** The module tree, configuration and kernel these options name; warnings go to {@code err} at once. */
    private Modprobe.Host host(PrintWriter err) {
        return new Modprobe.Host() {
            @Override
            public ModuleDatabase database() {
                return tree.database();
            }

            @Override
            public ModprobeConfig config() {
                return tree.config(err, "modprobe");
            }

            @Override
            public Kernel kernel() {
                return kernelOptions.kernel(err, "modprobe");
            }

            @Override
            public ModuleState loaded() {
                return new SysfsModuleState(kernelOptions.root().sys());
            }

            @Override
            public CommandRunner commands() {
                return new ShellCommandRunner(Map.of("MODPROBE_OPTIONS", optionsForCommands()));
            }

            @Override
            public LogSink openSyslog() {
                return syslogs.apply("modprobe");
            }
        };
    }

    /**
     * {@code $MODPROBE_OPTIONS} for install/remove commands: what this modprobe was given there, plus
     * its {@code -C}, {@code -s}, {@code -q} and {@code -v} options, so a modprobe that a command runs
     * inherits them (kmod appends these to its own environment while parsing options).
     */
    String optionsForCommands() {
        StringBuilder sb = new StringBuilder(Objects.requireNonNullElse(System.getenv("MODPROBE_OPTIONS"), ""));
        List<String> own = new ArrayList<>();
        for (Path c : tree.configs) {
            own.add("-C");
            own.add(c.toString());
        }
        if (syslog) {
            own.add("-s");
        }
        if (quiet) {
            own.add("-q");
        }
        for (int i = 0; i < verbose.length; i++) {
            own.add("-v");
        }
        for (String o : own) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(o);
        }
        return sb.toString();
    }
}
