package org.autoprobe.core.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.autoprobe.core.config.ConfigDump;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.elf.ModuleReader;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.IndexProblem;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.module.ModuleSymbol;
import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;
import org.autoprobe.core.resolve.ModuleMatch;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.ProbeFlags;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.text.RawText;

/**
 * kmod 30's {@code modprobe}, every mode, given its parsed options: insertion
 * ({@link ModprobeInsert}), removal {@code -r} ({@link ModprobeRemove}), the modes that only decide
 * and print ({@code -R}, {@code -D}, {@code -n}), {@code -c}, and
 * {@code --show-modversions}/{@code --show-exports}. What it prints comes back as one
 * {@link ToolResult} through one {@link ToolLog} (to a {@link LogSink} with {@code -s}); the caller
 * parses the command line, supplies what the run works on ({@link Host}) and prints the result.
 */
public final class Modprobe {
    /** The longest {@code -w} wait kept: ~142,000 years, far from overflowing a monotonic clock's milliseconds. */
    static final long MAX_WAIT = 1L << 52;

    /**
     * A modprobe command line, parsed.
     *
     * @param args            the non-option arguments: a name then module options, or with
     *                        {@code all} several names (for the symbol modes: the module file)
     * @param remove          {@code -r}
     * @param removeHolders   {@code --remove-holders}
     * @param waitValue       {@code -w}'s value as given (null without {@code -w}); read as kmod's
     *                        {@code strtoul(optarg, &end, 0)} ({@link #parseWait})
     * @param force           {@code -f}
     * @param forceModversion {@code --force-modversion}
     * @param forceVermagic   {@code --force-vermagic}
     * @param all             {@code -a}
     * @param resolveAlias    {@code -R}
     * @param showDepends     {@code -D}
     * @param showConfig      {@code -c}
     * @param showModversions {@code --show-modversions}
     * @param showExports     {@code --show-exports}
     * @param dryRun          {@code -n}
     * @param ignoreInstall   {@code -i}
     * @param useBlacklist    {@code -b}
     * @param firstTime       {@code --first-time}
     * @param quiet           {@code -q} (wins over {@code -v})
     * @param verbose         how many {@code -v}
     * @param syslog          {@code -s}: messages to the system log ({@link Host#openSyslog}), not stderr
     */
    public record Options(List<String> args, boolean remove, boolean removeHolders, String waitValue, boolean force,
                          boolean forceModversion, boolean forceVermagic, boolean all, boolean resolveAlias,
                          boolean showDepends, boolean showConfig, boolean showModversions, boolean showExports,
                          boolean dryRun, boolean ignoreInstall, boolean useBlacklist, boolean firstTime,
                          boolean quiet, int verbose, boolean syslog) {
        public Options {
            args = List.copyOf(args);
        }

        /** {@code modprobe ARGS...} with no option. */
        static Options of(List<String> args) {
            return new Options(args, false, false, null, false, false, false, false, false, false, false, false,
                    false, false, false, false, false, false, 0, false);
        }

        /** {@code modprobe -D ARGS...}. */
        static Options showDepends(List<String> args) {
            return new Options(args, false, false, null, false, false, false, false, false, true, false, false,
                    false, false, false, false, false, false, 0, false);
        }

        /** {@code modprobe -R ARGS...}. */
        static Options resolveAlias(List<String> args) {
            return new Options(args, false, false, null, false, false, false, false, true, false, false, false,
                    false, false, false, false, false, false, 0, false);
        }

        /** These options with {@code -a} set to {@code value}. */
        Options withAll(boolean value) {
            return new Options(args, remove, removeHolders, waitValue, force, forceModversion, forceVermagic, value,
                    resolveAlias, showDepends, showConfig, showModversions, showExports, dryRun, ignoreInstall,
                    useBlacklist, firstTime, quiet, verbose, syslog);
        }

        /** Whether these options only decide and print ({@code -R}, {@code -D}, {@code -n} without {@code -r}). */
        boolean decidesOnly() {
            return !remove && (resolveAlias || showDepends || dryRun);
        }
    }

    /**
     * What a run works on, each asked for only when the mode needs it, as kmod sets up its context
     * (so that, e.g., {@code --show-exports FILE} reads no configuration and says nothing about it).
     */
    public interface Host {
        /** The module directory's indexes. */
        ModuleDatabase database();

        /** modprobe.d and the kernel command line, parsed (their problems are the caller's to print). */
        ModprobeConfig config();

        /** The kernel that inserts and removes ({@code modprobe} and {@code -r}). */
        Kernel kernel();

        /** What is loaded, for the modes that only decide ({@code -R}, {@code -D}, {@code -n}). */
        ModuleState loaded();

        /** Runs install and remove commands. */
        CommandRunner commands();

        /** Opens the system log for {@code -s} (closed when the run ends). */
        LogSink openSyslog();
    }

    private final Host host;
    private ModprobeRemove.Clock clock = ModprobeRemove.Clock.MONOTONIC;

    public Modprobe(Host host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Uses {@code c} for the {@code -w} retries instead of the system's monotonic clock. */
    Modprobe clock(ModprobeRemove.Clock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    /** Runs: standard output and error in the result, messages in the system log instead with {@code -s}. */
    public ToolResult run(Options options) {
        long waitMillis = 0;
        if (options.waitValue() != null) {
            OptionalLong w = parseWait(options.waitValue());
            if (w.isEmpty()) {
                // option parsing, before kmod opens its log: on stderr whatever -s says
                ToolLog early = new ToolLog("modprobe", ToolLog.LOG_WARNING);
                early.rawErr("modprobe: ERROR: unexpected wait value '" + options.waitValue() + "'.");
                return early.result(1);
            }
            waitMillis = w.getAsLong();
        }
        // kmod opens its log once the options are parsed: with -s, from here on messages go to syslog
        // (configuration problems found while loading the configuration stay on stderr: libkmod
        // reports those before modprobe hands it its log function)
        try (LogSink sink = options.syslog() ? host.openSyslog() : null) {
            return run(options, waitMillis, sink);
        }
    }

    private ToolResult run(Options options, long waitMillis, LogSink sink) {
        if (options.showConfig()) {
            return showConfig();
        }
        if (options.showModversions() || options.showExports()) {
            // these messages are not held to -q or -v
            return showSymbols(options, new ToolLog("modprobe", ToolLog.LOG_DEBUG, sink));
        }
        ToolLog log = ToolLog.modprobe(options.verbose(), options.quiet(), sink);
        if (options.decidesOnly()) {
            Resolver resolver = new Resolver(host.database(), host.config(), host.loaded(),
                    e -> log.log(ToolLog.LOG_ERR, e));
            return decide(resolver, options, log);
        }
        Kernel kernel = host.kernel();
        Resolver resolver = new Resolver(host.database(), host.config(), kernel, e -> log.log(ToolLog.LOG_ERR, e));
        if (options.remove()) {
            return new ModprobeRemove(resolver, kernel, host.commands(), log,
                    new ModprobeRemove.Options(options.all(), options.ignoreInstall(), options.showDepends(),
                            options.dryRun() || options.showDepends(), options.firstTime(), options.force(),
                            options.removeHolders(), waitMillis), options.showDepends())
                    .clock(clock).run(options.args());
        }
        InsertFlags flags = new InsertFlags(options.force() || options.forceModversion(),
                options.force() || options.forceVermagic());
        return new ModprobeInsert(resolver, kernel, host.commands(), log,
                new ModprobeInsert.Options(options.all(), options.ignoreInstall(), options.useBlacklist(),
                        options.firstTime(), flags)).run(options.args());
    }

    /**
     * {@code -R}, {@code -D} and {@code -n} (with {@code -v} to print): the lookups and plans of a
     * real insertion, printed, nothing inserted.
     */
    private static ToolResult decide(Resolver resolver, Options options, ToolLog log) {
        List<String> args = options.args();
        if (args.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "missing parameters. See -h.");
            return log.result(1);
        }
        boolean show = options.showDepends() || log.threshold() > ToolLog.LOG_WARNING;
        ProbeFlags flags = new ProbeFlags(options.ignoreInstall(), options.showDepends(), options.firstTime(),
                options.useBlacklist() ? ProbeFlags.Blacklist.ALWAYS : ProbeFlags.Blacklist.ALIAS_ONLY);
        int status = 0;
        if (options.all()) {
            for (String name : args) {
                int r = decide(resolver, options, log, flags, show, name, null, ToolLog.LOG_WARNING);
                if (log.fatal()) {
                    return log.result(1);
                }
                if (r < 0) {
                    status = r;
                }
            }
        } else {
            status = decide(resolver, options, log, flags, show, args.get(0),
                    optionsFromArray(args.subList(1, args.size())), ToolLog.LOG_CRIT);
        }
        return log.result(status < 0 ? 1 : 0);
    }

    private static int decide(Resolver resolver, Options options, ToolLog log, ProbeFlags flags, boolean show,
                              String name, String extraOptions, int notFoundPriority) {
        int found;
        int[] status = {0};
        if (options.resolveAlias()) {
            List<ModuleMatch> matches = resolver.lookup(name);
            matches.forEach(m -> log.out(m.name()));
            found = matches.size();
        } else {
            found = resolver.plan(name, flags, extraOptions, plan -> {
                status[0] = 0;
                if (plan.outcome() == LoadPlan.Outcome.ALREADY_LOADED_ERROR) {
                    log.log(ToolLog.LOG_ERR, "could not insert '" + plan.target().name() + "': Module already in kernel");
                    status[0] = -1;
                }
                if (show) {
                    for (LoadStep step : plan.steps()) {
                        step.showDependsLine().ifPresent(log::out);
                    }
                }
            });
        }
        if (found == 0) {
            log.log(notFoundPriority, "Module " + name + " not found in directory " + resolver.moduleDirectory());
            return -1;
        }
        return status[0];
    }

    /**
     * {@code -c}: the configuration as {@link ConfigDump} writes it, then the alias and symbol
     * indexes ({@code alias KEY VALUE} lines), their bytes as they are.
     */
    private ToolResult showConfig() {
        StringWriter text = new StringWriter();
        ConfigDump.write(host.config(), new PrintWriter(text));
        ModuleDatabase db = host.database();
        if (db instanceof BinModuleDatabase bin) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            try {
                for (ModuleDatabase.Index index : List.of(ModuleDatabase.Index.ALIAS, ModuleDatabase.Index.SYMBOL)) {
                    var trie = bin.trie(index);
                    if (trie.isPresent()) {
                        trie.get().dump(bytes, "alias ");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            text.write(RawText.decode(bytes.toByteArray())); // the caller's writer puts back exactly these bytes
        }
        ToolLog log = new ToolLog("modprobe", ToolLog.LOG_WARNING);
        lines(text.toString()).forEach(log::out);
        return log.result(0);
    }

    /**
     * {@code --show-modversions FILE} / {@code --show-exports FILE}: {@code 0x%08x<TAB>symbol} per
     * line, as kmod prints them (the file's own tables; the module tree is not consulted).
     */
    private static ToolResult showSymbols(Options options, ToolLog log) {
        if (options.args().isEmpty()) {
            log.log(ToolLog.LOG_ERR, "missing parameters. See -h.");
            return log.result(1);
        }
        boolean versions = options.showModversions();
        String what = versions ? "modversions" : "symbols";
        String file = options.args().get(0);
        if (!Files.exists(Path.of(file))) {
            log.log(ToolLog.LOG_CRIT, "Module " + file + " not found.");
            return log.result(1);
        }
        ModuleReader.SymbolTables t;
        try {
            t = ModuleReader.symbolTables(Path.of(file));
        } catch (IOException e) {
            log.log(ToolLog.LOG_CRIT, "could not get " + what + " of " + file + ": " + IndexProblem.reason(e));
            return log.result(1);
        }
        List<ModuleSymbol> list = versions ? t.versions() : t.exports();
        if (list == null) {
            ModuleReader.Problem p = versions ? t.versionsProblem() : t.exportsProblem();
            log.log(ToolLog.LOG_CRIT, "could not get " + what + " of " + file + ": " + p.message());
            return log.result(1);
        }
        StringBuilder sb = new StringBuilder(list.size() * 40);
        for (ModuleSymbol sym : list) {
            String hex = Long.toHexString(sym.crc());
            sb.append("0x");
            for (int i = hex.length(); i < 8; i++) {
                sb.append('0');
            }
            sb.append(hex).append('\t').append(sym.name()).append('\n');
        }
        lines(RawText.fromByteString(sb)).forEach(log::out); // symbol names are byte strings: their bytes come out
        return log.result(0);
    }

    /** {@code text}'s lines, each without its {@code \n} (a last line without one counts). */
    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(body.split("\n", -1));
    }

    /** modprobe's options_from_array: extra arguments joined, a value with spaces quoted. */
    static String optionsFromArray(List<String> args) {
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

    /**
     * {@code -w}'s value as kmod reads it, strtoul with base 0 over the whole string: optional
     * blanks and sign, then {@code 0x} hex, {@code 0} octal or decimal digits; empty when that is not
     * the whole string. A negative or too large value (huge in C) becomes {@link #MAX_WAIT}.
     */
    static OptionalLong parseWait(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0 && s.charAt(i + 2) < 128) {
            radix = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            radix = 8;
        }
        if (i == n) {
            return OptionalLong.empty();
        }
        long v = 0;
        boolean overflow = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            int d = c < 128 ? Character.digit(c, radix) : -1;
            if (d < 0) {
                return OptionalLong.empty();
            }
            long next = v * radix + d;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, radix)) > 0 || Long.compareUnsigned(next, v) < 0) {
                overflow = true;
            }
            v = next;
        }
        if (overflow || (negative && v != 0) || Long.compareUnsigned(v, MAX_WAIT) > 0) {
            return OptionalLong.of(MAX_WAIT); // C's huge unsigned values: as good as forever
        }
        return OptionalLong.of(v);
    }
}
