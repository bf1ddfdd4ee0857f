package org.autoprobe.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.elf.ModuleReader;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.IndexProblem;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ModprobeInsert;
import org.autoprobe.core.load.ModprobeRemove;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.module.ModuleSymbol;
import org.autoprobe.core.resolve.Modprobe;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.sys.Syslog;
import org.autoprobe.core.text.RawText;
import org.autoprobe.rules.modprobe.ConfigDump;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe modprobe}: kmod 30's modprobe: insertion (dependencies, softdeps, install
 * commands, options), removal ({@code -r}), and the modes that decide and print:
 * {@code --show-depends}, {@code -R}, {@code -c} and {@code -n}.
 */
@Command(name = "modprobe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Add or remove modules and their dependencies (kmod-compatible).")
public final class ModprobeCommand implements Callable<Integer> {
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
        // kmod opens its log once the options are parsed: with -s, from here on messages go to syslog
        // (configuration problems found while loading the configuration stay on stderr: libkmod
        // reports those before modprobe hands it its log function)
        long wait = 0;
        if (waitMsec != null) {
            // strtoul(optarg, &end, 0): decimal, 0x hex or 0 octal, the whole value
            OptionalLong w = parseUnsigned(waitMsec);
            if (w.isEmpty()) {
                err.println("modprobe: ERROR: unexpected wait value '" + waitMsec + "'.");
                return 1;
            }
            wait = w.getAsLong();
        }
        waitMillis = wait;
        try (LogSink sink = syslog ? syslogs.apply("modprobe") : null) {
            if (showConfig) {
                return showConfig(out, err);
            }
            if (showModversions || showExports) {
                return showSymbols(out, sink == null ? err::println : line -> toSyslog(line, sink, err));
            }
            if (remove || (!resolveAlias && !showDepends && !dryRun)) {
                return change(out, err, sink);
            }
            Consumer<String> messages = sink == null ? err::println : line -> toSyslog(line, sink, err);
            Resolver resolver = new Resolver(tree.database(), tree.config(err, "modprobe"),
                    new SysfsModuleState(kernelOptions.root().sys()), e -> messages.accept("modprobe: ERROR: " + e));
            Modprobe.Result r = new Modprobe(resolver).run(new Modprobe.Request(args, all, resolveAlias, showDepends,
                    dryRun, verbose.length, quiet, ignoreInstall, useBlacklist, firstTime));
            r.stdout().forEach(out::println);
            out.flush();
            r.stderr().forEach(messages);
            return r.exitCode();
        }
    }

    /**
     * {@code --dump-modversions FILE} / {@code --show-exports FILE}: {@code 0x%08x<TAB>symbol} per
     * line, as kmod prints them (the file's own tables; the module tree is not consulted).
     */
    private int showSymbols(PrintWriter out, Consumer<String> messages) throws IOException {
        if (args.isEmpty()) {
            messages.accept("modprobe: ERROR: missing parameters. See -h.");
            return 1;
        }
        String file = args.get(0);
        if (!Files.exists(Path.of(file))) {
            messages.accept("modprobe: FATAL: Module " + file + " not found.");
            return 1;
        }
        ModuleReader.SymbolTables t;
        try {
            t = ModuleReader.symbolTables(Path.of(file));
        } catch (IOException e) {
            messages.accept("modprobe: FATAL: could not get " + (showModversions ? "modversions" : "symbols") + " of "
                    + file + ": " + IndexProblem.reason(e));
            return 1;
        }
        List<ModuleSymbol> list = showModversions ? t.versions() : t.exports();
        if (list == null) {
            ModuleReader.Problem p = showModversions ? t.versionsProblem() : t.exportsProblem();
            messages.accept("modprobe: FATAL: could not get " + (showModversions ? "modversions" : "symbols") + " of "
                    + file + ": " + p.message());
            return 1;
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
        out.print(RawText.fromByteString(sb)); // symbol names are byte strings: their bytes come out
        out.flush();
        return 0;
    }

    /** {@code -w}'s value, parsed. */
    private long waitMillis;

    /**
     * strtoul with base 0 over the whole string: optional blanks and sign, then {@code 0x} hex,
     * {@code 0} octal or decimal digits; empty when that is not the whole string. A negative or too
     * large value (huge in C) becomes {@link #MAX_WAIT}.
     */
    static OptionalLong parseUnsigned(String s) {
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

    /** The longest wait kept: ~142,000 years, far from overflowing a monotonic clock's milliseconds. */
    static final long MAX_WAIT = 1L << 52;

    /** A {@code modprobe: LEVEL: message} line goes to syslog as {@code LEVEL: message} at its priority. */
    private static void toSyslog(String line, LogSink sink, PrintWriter err) {
        String prefix = "modprobe: ";
        int colon = line.indexOf(": ", prefix.length());
        int priority = line.startsWith(prefix) && colon > 0 ? ToolLog.priority(line.substring(prefix.length(), colon)) : -1;
        if (priority < 0) {
            err.println(line);
        } else {
            sink.log(priority, line.substring(prefix.length()));
        }
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

    /** Real insertion or removal: the kernel is asked, commands run. */
    private int change(PrintWriter out, PrintWriter err, LogSink sink) throws IOException {
        ToolLog log = ToolLog.modprobe(verbose.length, quiet, sink);
        Kernel kernel = kernelOptions.kernel(err, "modprobe");
        Resolver resolver = new Resolver(tree.database(), tree.config(err, "modprobe"), kernel,
                e -> log.log(ToolLog.LOG_ERR, e));
        CommandRunner commands = new ShellCommandRunner(Map.of("MODPROBE_OPTIONS", optionsForCommands()));
        ToolResult r;
        if (remove) {
            r = new ModprobeRemove(resolver, kernel, commands, log, new ModprobeRemove.Options(all, ignoreInstall,
                    showDepends, dryRun || showDepends, firstTime, force, removeHolders, waitMillis), showDepends).run(args);
        } else {
            InsertFlags flags = new InsertFlags(force || forceModversion, force || forceVermagic);
            r = new ModprobeInsert(resolver, kernel, commands, log,
                    new ModprobeInsert.Options(all, ignoreInstall, useBlacklist, firstTime, flags)).run(args);
        }
        return ToolOutput.print(r, out, err);
    }

    private int showConfig(PrintWriter out, PrintWriter err) throws IOException {
        ModprobeConfig config = tree.config(err, "modprobe");
        ConfigDump.write(config, out);
        ModuleDatabase db = tree.database();
        if (db instanceof BinModuleDatabase bin) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            for (ModuleDatabase.Index index : List.of(ModuleDatabase.Index.ALIAS, ModuleDatabase.Index.SYMBOL)) {
                var trie = bin.trie(index);
                if (trie.isPresent()) {
                    trie.get().dump(bytes, "alias ");
                }
            }
            out.write(RawText.decode(bytes.toByteArray())); // the writer puts back exactly these bytes
        }
        out.flush();
        return 0;
    }
}
