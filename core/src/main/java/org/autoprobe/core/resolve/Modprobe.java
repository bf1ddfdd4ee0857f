package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * kmod 30's {@code modprobe} for the modes that only decide and print: {@code -R/--resolve-alias},
 * {@code -D/--show-depends} and {@code -n} (with {@code -v} to print), with {@code -a}, {@code -i},
 * {@code -b}, {@code --first-time} and {@code -q}: the exact stdout lines, stderr lines and exit
 * code. Real insertion is the loader's job: it runs {@link Resolver#plan} results.
 */
public final class Modprobe {
    private static final int LOG_CRIT = 2;
    private static final int LOG_ERR = 3;
    private static final int LOG_WARNING = 4;

    /**
     * A modprobe command line, already parsed.
     *
     * @param args           the non-option arguments: a name then module options, or with
     *                       {@code all} several names
     * @param all            {@code -a}
     * @param resolveAlias   {@code -R}
     * @param showDepends    {@code -D}
     * @param dryRun         {@code -n}
     * @param verbose        how many {@code -v}
     * @param quiet          {@code -q} (wins over {@code -v})
     * @param ignoreInstall  {@code -i}
     * @param useBlacklist   {@code -b}
     * @param firstTime      {@code --first-time}
     */
    public record Request(List<String> args, boolean all, boolean resolveAlias, boolean showDepends,
                          boolean dryRun, int verbose, boolean quiet, boolean ignoreInstall,
                          boolean useBlacklist, boolean firstTime) {
        public Request {
            args = List.copyOf(args);
        }

        /** {@code modprobe --show-depends ARGS...}. */
        public static Request showDepends(List<String> args) {
            return new Request(args, false, false, true, false, 0, false, false, false, false);
        }

        /** {@code modprobe -R ARGS...}. */
        public static Request resolveAlias(List<String> args) {
            return new Request(args, false, true, false, false, 0, false, false, false, false);
        }

        public Request withAll(boolean value) {
            return new Request(args, value, resolveAlias, showDepends, dryRun, verbose, quiet, ignoreInstall,
                    useBlacklist, firstTime);
        }
    }

    /** What modprobe printed and returned; lines without their newline. */
    public record Result(List<String> stdout, List<String> stderr, int exitCode) {
        public Result {
            stdout = List.copyOf(stdout);
            stderr = List.copyOf(stderr);
        }
    }

    private final Resolver resolver;

    public Modprobe(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Runs the request.
     *
     * @throws IllegalArgumentException when the request would insert modules (none of -R, -D, -n)
     */
    public Result run(Request request) {
        if (!request.resolveAlias() && !request.showDepends() && !request.dryRun()) {
            throw new IllegalArgumentException("modprobe without -R, -D or -n inserts modules: use Resolver.plan");
        }
        Run run = new Run(request);
        return run.execute();
    }

    /** modprobe's options_from_array: extra arguments joined, a value with spaces quoted. */
    public static String optionsFromArray(List<String> args) {
        if (args.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String arg : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            int eq = arg.indexOf('=');
            String value = eq < 0 ? null : arg.substring(eq + 1);
            if (value != null && !value.startsWith("\"") && !value.startsWith("'") && value.indexOf(' ') >= 0) {
                sb.append(arg, 0, eq + 1).append('"').append(value).append('"');
            } else {
                sb.append(arg);
            }
        }
        return sb.toString();
    }

    /** One invocation's state: its output and its log threshold. */
    private final class Run {
        private final Request request;
        private final int threshold;
        private final boolean show;
        private final ProbeFlags flags;
        private final List<String> out = new ArrayList<>();
        private final List<String> err = new ArrayList<>();
        private boolean fatal;

        Run(Request request) {
            this.request = request;
            this.threshold = request.quiet() ? 0 : LOG_WARNING + request.verbose();
            this.show = request.showDepends() || threshold > LOG_WARNING;
            ProbeFlags f = new ProbeFlags(request.ignoreInstall(), request.showDepends(), request.firstTime(),
                    request.useBlacklist() ? ProbeFlags.Blacklist.ALWAYS : ProbeFlags.Blacklist.ALIAS_ONLY);
            this.flags = f;
        }

        Result execute() {
            List<String> args = request.args();
            if (args.isEmpty()) {
                log(LOG_ERR, "missing parameters. See -h.");
                return done(1);
            }
            int status = 0;
            if (request.all()) {
                for (String name : args) {
                    int r = insmod(name, null, LOG_WARNING);
                    if (fatal) {
                        return done(1);
                    }
                    if (r < 0) {
                        status = r;
                    }
                }
            } else {
                status = insmod(args.get(0), optionsFromArray(args.subList(1, args.size())), LOG_CRIT);
            }
            return done(fatal || status < 0 ? 1 : 0);
        }

        private int insmod(String name, String extraOptions, int notFoundPriority) {
            Resolver.Session session = resolver.newSession(message -> log(LOG_ERR, message));
            List<ModulePool.Hit> hits = session.lookup(name);
            if (hits.isEmpty()) {
                log(notFoundPriority, "Module " + name + " not found in directory " + resolver.moduleDirectory());
                return -1;
            }
            int status = 0;
            for (ModulePool.Hit hit : hits) {
                if (request.resolveAlias()) {
                    out.add(hit.node().name);
                    continue;
                }
                LoadPlan plan = session.plan(hit, flags, extraOptions);
                status = 0;
                if (plan.outcome() == LoadPlan.Outcome.ALREADY_LOADED_ERROR) {
                    log(LOG_ERR, "could not insert '" + hit.node().name + "': Module already in kernel");
                    status = -1;
                }
                if (show) {
                    for (LoadStep step : plan.steps()) {
                        step.showDependsLine().ifPresent(out::add);
                    }
                }
            }
            return status;
        }

        private void log(int priority, String message) {
            if (fatal || priority > threshold) {
                return;
            }
            String level = switch (priority) {
                case LOG_CRIT -> "FATAL";
                case LOG_ERR -> "ERROR";
                default -> "WARNING";
            };
            err.add("modprobe: " + level + ": " + message);
            if (priority <= LOG_CRIT) {
                fatal = true;
            }
        }

        private Result done(int code) {
            return new Result(out, err, code);
        }
    }
}
