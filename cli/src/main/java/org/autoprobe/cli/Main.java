package org.autoprobe.cli;

import java.util.List;

import org.autoprobe.core.text.RawText;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code autoprobe} command: every tool is a subcommand. */
@Command(name = "autoprobe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Kernel module autoloader and kmod-compatible module tools.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        avoidLibrarySearch();
        if (args.length > 0 && args[0].equals("daemon")) {
            DaemonRun.plainLogLines();
            startAhead();
        }
        System.exit(run(withEnvironmentOptions(args, System.getenv("MODPROBE_OPTIONS"))));
    }

    /**
     * JNA's library search on Linux starts by running {@code ldconfig -p} (a fork and exec, 0.3 to
     * 0.8 s under emulation at boot) unless {@code jna.platform.library.path} is set. autoprobe binds
     * only the C library, which JNA opens by its soname ({@code libc.so.6}) through the dynamic
     * loader whatever the search path says; so the search path is set to the usual directories, and
     * the fork never happens. A value given on the command line wins.
     */
    static void avoidLibrarySearch() {
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "/usr/lib:/lib");
        }
    }

    /**
     * Work the daemon's boot plan would otherwise wait for, each on a thread of its own while the
     * daemon reads its options: logging (the plan's runner logs; 0.3 s under emulation at boot), and
     * JNA with the C library bound (its first insert needs them; 0.8 s). A failure here is left to
     * the first real use to report.
     */
    static void startAhead() {
        ahead("autoprobe-log", () -> org.slf4j.LoggerFactory.getILoggerFactory());
        ahead("autoprobe-bind", () -> {
            org.autoprobe.core.sys.NativeModuleSyscalls.system().prepare();
            org.autoprobe.daemon.sys.ThreadPriority.prepare();
        });
    }

    private static void ahead(String name, Runnable work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException | LinkageError e) {
                // said by the use that needs it
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * {@code modprobe} takes options from {@code $MODPROBE_OPTIONS} before its own arguments, as
     * kmod's does (an install command's nested modprobe inherits -v, -q, -C that way).
     */
    static String[] withEnvironmentOptions(String[] args, String env) {
        if (env == null || args.length == 0 || !args[0].equals("modprobe")) {
            return args;
        }
        List<String> words = splitOptions(env);
        String[] out = new String[args.length + words.size()];
        out[0] = args[0];
        for (int i = 0; i < words.size(); i++) {
            out[1 + i] = words.get(i);
        }
        System.arraycopy(args, 1, out, 1 + words.size(), args.length - 1);
        return out;
    }

    /** Splits on single spaces as kmod does; a word wholly in '...' or "..." loses its quotes. */
    static List<String> splitOptions(String env) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < env.length(); i++) {
            char c = env.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == ' ') {
                words.add(word.toString());
                word.setLength(0);
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    /** Runs the command line on the process's streams and returns the exit code. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /**
     * Runs the command line with its output going to the given streams (tests and in-process callers);
     * every command prints through {@code spec.commandLine().getOut()/getErr()}, never System.out.
     */
    public static int run(java.io.PrintStream out, java.io.PrintStream err, String... args) {
        Direct direct = args.length == 0 ? null : switch (args[0]) {
            case "resolve" -> ResolveCommand.fastPath(args);
            case "daemon" -> DaemonCommand.fastPath(args);
            default -> null;
        };
        if (direct != null) {
            return runDirect(direct, out, err);
        }
        CommandLine cl = commandLine(args.length == 0 ? null : args[0]);
        cl.setOut(writer(out));
        cl.setErr(writer(err));
        if (args.length > 0) {
            KmodOptionErrors.install(cl, args[0]); // not here: the daemon's fast path loads no picocli class
        }
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }

    /**
     * A writer that puts text on {@code stream} as its bytes ({@link RawText#encode}): what a
     * module or configuration file held comes out byte for byte, whatever the locale, and text
     * from Java (messages, paths, help) as UTF-8. Not the stream's own charset: a PrintStream
     * would turn bytes that are not UTF-8 into U+FFFD (or '?').
     */
    static java.io.PrintWriter writer(java.io.OutputStream stream) {
        return new java.io.PrintWriter(RawText.writer(stream), false);
    }

    /**
     * A command configured without picocli ({@link ResolveCommand#fastPath},
     * {@link DaemonCommand#fastPath}): what its {@code call()} runs once picocli has configured it.
     */
    interface Direct {
        /** Runs the command, printing to {@code out} and {@code err}; returns the exit code. */
        int run(java.io.PrintWriter out, java.io.PrintWriter err) throws Exception;
    }

    /**
     * A command configured without picocli, run as picocli's {@code execute} would run it: an
     * exception is printed with its stack trace, exit code 1.
     */
    private static int runDirect(Direct command, java.io.PrintStream out, java.io.PrintStream err) {
        java.io.PrintWriter o = writer(out);
        java.io.PrintWriter e = writer(err);
        try {
            return command.run(o, e);
        } catch (Exception | LinkageError ex) {
            o.flush();
            ex.printStackTrace(e);
            return 1;
        } finally {
            o.flush();
            e.flush();
        }
    }

    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line with every subcommand, or, when {@code chosen} names one, with just that one:
     * picocli builds a subcommand's model (reflection over its options) when it is added, which is
     * start-up time wasted on the subcommands this run does not use. Help and errors are the same
     * either way, except that a subcommand's own output never lists its siblings anyway.
     */
    static CommandLine commandLine(String chosen) {
        CommandLine cl = new CommandLine(new Main());
        List<Object> subs = Commands.all();
        for (Object sub : subs) {
            if (chosen != null && chosen.equals(sub.getClass().getAnnotation(Command.class).name())) {
                cl.addSubcommand(sub);
                return cl;
            }
        }
        cl.addSubcommand(new CommandLine.HelpCommand()); // 'autoprobe help [COMMAND]' needs them all
        for (Object sub : subs) {
            cl.addSubcommand(sub);
        }
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw ParameterErrors.of(spec, "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return lines(v == null ? "dev" : v);
        }

        /**
         * kmod's layout ({@code kmod version 30}, then its features): the version, the compressions and
         * signature reading it has (all of them, in Java), and the kmod whose answers it gives.
         */
        static String[] lines(String version) {
            return new String[] {"autoprobe version " + version, "+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL",
                "compatible with kmod 30"};
        }
    }
}
