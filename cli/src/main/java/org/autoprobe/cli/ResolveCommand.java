package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.core.tools.Resolve;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe resolve}: batch alias queries; this class parses the options (with a fast path
 * that skips picocli's model for plain invocations) and core's {@link Resolve} answers.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Resolve aliases (e.g. MODALIAS strings) to module names, one line each.",
        footer = {"", "Standard input is read as bytes; only \\n ends a line: one output line per input line.",
                "An alias is looked up up to its first NUL byte, as kmod would see it. In the output,",
                "NUL, CR and TAB are written as \\0, \\r and \\t.",
                "A module directory that is not there is FATAL (exit 1), as for kmod's modprobe -R."})
final class ResolveCommand implements Callable<Integer>, Main.Direct {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = {"-b", "--use-blacklist"}, description = "Leave out blacklisted modules.")
    boolean useBlacklist;

    @Option(names = "--threads", paramLabel = "N",
            description = "Resolve with N worker threads (default: one per processor); output keeps input order.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "ALIAS", arity = "1..*", description = "Aliases to resolve; '-' reads one per line from standard input.")
    List<String> aliases = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (threads < 1) {
            throw ParameterErrors.of(spec, "--threads must be at least 1, not " + threads);
        }
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Resolves every alias (and stdin for {@code -}), printing to {@code out}; returns the exit code. */
    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        return new Resolve(tree.moduleDirectory(), () -> tree.config(err, "resolve"), tree::database)
                .run(new Resolve.Options(aliases, useBlacklist, threads), System.in, out, err);
    }

    /**
     * The command as picocli would configure it from {@code args} (which start with
     * {@code resolve}), or null when {@code args} use anything but the plain forms: {@code -d DIR},
     * {@code --dirname[=]DIR}, {@code -S}/{@code --set-version}, {@code -C}/{@code --config}
     * (repeatable), {@code -b}/{@code --use-blacklist}, {@code --threads[=]N}, {@code --}, and
     * aliases. Building picocli's model from the annotations costs ~60 ms of a one-shot run's
     * start, more than resolving thousands of aliases; so the batch command's plain invocations
     * skip it, and everything else (help, version, errors, clustered or attached short options,
     * {@code @files}, repeated single options, values that look like options) goes to picocli,
     * which stays the one definition of the syntax. {@code ResolveFastPathTest} checks that both
     * agree.
     */
    static ResolveCommand fastPath(String[] args) {
        if (args.length < 2 || !args[0].equals("resolve")) {
            return null;
        }
        ResolveCommand c = new ResolveCommand();
        c.tree = new ModuleTreeOptions();
        boolean blacklistSeen = false;
        boolean threadsSeen = false;
        boolean positionalOnly = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) {
                return null; // an argument file, for picocli to expand
            }
            if (positionalOnly || a.equals("-") || !a.startsWith("-")) {
                c.aliases.add(a);
                continue;
            }
            if (a.equals("--")) {
                positionalOnly = true;
                continue;
            }
            if (a.equals("-b") || a.equals("--use-blacklist")) {
                if (blacklistSeen) {
                    return null;
                }
                blacklistSeen = true;
                c.useBlacklist = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!(name.equals("-d") || name.equals("--dirname") || name.equals("-S") || name.equals("--set-version")
                    || name.equals("-C") || name.equals("--config") || name.equals("--threads"))) {
                return null;
            }
            if (value == null) {
                if (i + 1 == args.length || args[i + 1].startsWith("-") || args[i + 1].startsWith("@")) {
                    return null;
                }
                value = args[++i];
            }
            switch (name) {
                case "-d", "--dirname" -> {
                    if (c.tree.root != null || (c.tree.root = path(value)) == null) {
                        return null;
                    }
                }
                case "-S", "--set-version" -> {
                    if (c.tree.kernelVersion != null) {
                        return null;
                    }
                    c.tree.kernelVersion = value;
                }
                case "-C", "--config" -> {
                    Path p = path(value);
                    if (p == null) {
                        return null;
                    }
                    c.tree.configs.add(p);
                }
                default -> {
                    if (threadsSeen || value.isEmpty() || value.length() > 6 || !value.chars().allMatch(Character::isDigit)
                            || Integer.parseInt(value) < 1) {
                        return null;
                    }
                    threadsSeen = true;
                    c.threads = Integer.parseInt(value);
                }
            }
        }
        return c.aliases.isEmpty() ? null : c;
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
