package org.autoprobe.cli;

import java.util.List;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Option errors of kmod's commands ({@code modprobe}, {@code modinfo}, {@code depmod},
 * {@code insmod}, {@code rmmod}, {@code lsmod}) as kmod gives them: the one line getopt_long prints
 * ({@code modprobe: unrecognized option '--bogus'}, {@code modprobe: invalid option -- 'Z'},
 * {@code depmod: option requires an argument -- 'b'}, {@code modprobe: option '--dirname' requires
 * an argument}, {@code modprobe: option '--all' doesn't allow an argument}) and exit code 1;
 * {@code lsmod}'s {@code Usage: lsmod}. No usage text: scripts that call kmod's tools see what they
 * saw. Long options may be abbreviated, as getopt_long allows ({@code --verb}). The other commands
 * keep picocli's message and usage (exit 2).
 */
final class KmodOptionErrors implements CommandLine.IParameterExceptionHandler {
    static final Set<String> KMOD = Set.of("modprobe", "modinfo", "depmod", "insmod", "rmmod", "lsmod");

    private final CommandLine.IParameterExceptionHandler others;

    KmodOptionErrors(CommandLine.IParameterExceptionHandler others) {
        this.others = others;
    }

    /** For kmod's commands: their option errors, and long options abbreviated as getopt_long takes them. */
    static void install(CommandLine cl, String command) {
        if (KMOD.contains(command)) {
            cl.setParameterExceptionHandler(new KmodOptionErrors(cl.getParameterExceptionHandler()));
            cl.setAbbreviatedOptionsAllowed(true);
        }
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine cl = ex.getCommandLine();
        String name = cl.getCommandName();
        if (!KMOD.contains(name)) {
            return others.handleParseException(ex, args);
        }
        java.io.PrintWriter err = cl.getErr();
        err.println(message(name, cl, ex, args));
        err.flush();
        return 1;
    }

    /** The line kmod's command {@code name} prints for this error. */
    static String message(String name, CommandLine cl, ParameterException ex, String[] args) {
        if (name.equals("lsmod")) {
            return "Usage: lsmod";
        }
        if (ex instanceof MissingParameterException m && m.getMissing() != null && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            String used = used(o, args);
            return used.startsWith("--") ? name + ": option '" + used + "' requires an argument"
                    : name + ": option requires an argument -- '" + used.charAt(used.length() - 1) + "'";
        }
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("--")) {
                return name + ": unrecognized option '" + arg + "'";
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                return invalidShort(name, firstUnknownShort(cl, arg));
            }
        }
        // a value a long option does not take ("--all=x")
        for (String a : args) {
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                OptionSpec o = cl.getCommandSpec().findOption(a.substring(0, eq));
                if (o != null && o.arity().max() == 0) {
                    return name + ": option '" + o.longestName() + "' doesn't allow an argument";
                }
            }
        }
        // a value a short option does not take ("-a=x": getopt reads '=' as an option), or another error
        for (String a : args) {
            if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1) {
                char c = firstUnknownShort(cl, a);
                if (c != 0) {
                    return invalidShort(name, c);
                }
            }
        }
        String text = ex.getMessage() == null ? "invalid arguments" : ex.getMessage().lines().findFirst().orElse("");
        return name + ": ERROR: " + text;
    }

    /**
     * getopt's line for a short option {@code c} the command does not take. One exception: kmod 30's rmmod
     * still lists {@code w} (the old --wait) among its short options but has no case for it, and says
     * "unexpected getopt_long() value" (kmod 34's no longer lists it: getopt's line); the installed kmod decides.
     */
    static String invalidShort(String name, char c) {
        return invalidShort(name, c, name.equals("rmmod") && c == 'w' ? KmodVersion.installed() : -1);
    }

    static String invalidShort(String name, char c, int kmodVersion) {
        if (name.equals("rmmod") && c == 'w' && kmodVersion >= 0 && kmodVersion <= 30) {
            return "rmmod: ERROR: unexpected getopt_long() value 'w'.";
        }
        return name + ": invalid option -- '" + c + "'";
    }

    /** How the option was written on the command line (its last use), else its longest name. */
    private static String used(OptionSpec o, String[] args) {
        List<String> names = List.of(o.names());
        for (int i = args.length - 1; i >= 0; i--) {
            if (names.contains(args[i])) {
                return args[i];
            }
        }
        return o.longestName();
    }

    /**
     * The first character of a cluster of short options ({@code -nZ}) that is no option of the
     * command, or that getopt would read as one after an option without an argument; 0 when all are.
     */
    static char firstUnknownShort(CommandLine cl, String cluster) {
        for (int i = 1; i < cluster.length(); i++) {
            char c = cluster.charAt(i);
            OptionSpec o = cl.getCommandSpec().findOption(c);
            if (o == null) {
                return c;
            }
            if (o.arity().max() > 0) {
                return 0; // the rest of the cluster is its argument
            }
        }
        return 0;
    }
}
