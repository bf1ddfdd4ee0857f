package org.autoprobe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.resolve.ModaliasDump;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.resolve.TreeComparison;
import org.autoprobe.core.resolve.TreeComparison.Change;
import org.autoprobe.core.resolve.TreeComparison.Entry;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.tools.Resolve;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe compat}: which devices lose, gain or change their module between two module
 * trees, for this machine's devices or for MODALIAS dumps collected from a fleet; a table or JSON,
 * and an exit code a rollout pipeline can gate on. The comparison is core's
 * {@link TreeComparison}; this class reads the inputs and prints.
 */
@Command(name = "compat", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Which devices lose, gain or change their module between two module trees: this machine's",
            "devices, or MODALIAS dumps collected from a fleet (one file per machine, one MODALIAS per line)."},
        footer = {"",
            "KVER names ROOT/lib/modules/KVER (ROOT from -d, default /); an argument with a '/' is a MODDIR,",
            "a module directory itself (/usr/lib/modules/6.12.0-1-amd64, ./tree). Each MODALIAS is resolved on",
            "both trees as udev's autoloading does (kmod's lookup, the blacklist applied), with the same",
            "configuration. change: lost (FROM has modules, TO none), changed (other modules or another order),",
            "gained (only TO has modules), same. The table shortens long MODALIAS values; --json gives them whole.",
            "Dump lines that are empty, comments (#), with control characters or over 4096 bytes are reported",
            "(FILE:LINE) and skipped.",
            "",
            "Exit status:",
            "  0  no device loses or changes its modules (gains allowed)",
            "  1  error: a module tree not there or without its alias index, a dump that cannot be read or",
            "     holds no MODALIAS, no sysfs (what could be read is still compared and printed)",
            "  2  usage error",
            "  3  some device's modules change, none is lost",
            "  4  some device loses its modules (changes may come with it)"})
final class CompatCommand implements Callable<Integer> {
    /** Exit code: some device's module list changes, and no device loses its modules. */
    static final int EXIT_CHANGED = 3;
    /** Exit code: some device has modules in the first tree and none in the second. */
    static final int EXIT_LOST = 4;
    /** The longest MODALIAS the table shows whole; longer ones end in "...". */
    static final int TABLE_WIDTH = 64;

    private static final String TOOL = "compat";

    /** The configuration's warnings already said (both sides read the same files). */
    private final Set<String> said = new LinkedHashSet<>();

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--dirname"}, paramLabel = "ROOT", description = "Use ROOT as filesystem root for /lib/modules/KVER")
    Path root;

    @Option(names = {"-C", "--config"}, paramLabel = "FILE",
            description = "Use FILE instead of the default configuration directories (repeatable); the same on both sides")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--from", required = true, paramLabel = "KVER|MODDIR", description = "The module tree in use now")
    String from;

    @Option(names = "--to", required = true, paramLabel = "KVER|MODDIR", description = "The module tree to compare it with")
    String to;

    @Option(names = "--json", description = "Print a JSON array, one object per distinct MODALIAS.")
    boolean json;

    @Option(names = "--sys", paramLabel = "DIR", description = "sysfs mount whose devices to compare (default: /sys); not with DUMP files")
    Path sys;

    /** The running system's paths ({@code /sys}, {@code /proc}, modules under {@code /}); a test may point it at a fixture. */
    SystemRoot system = SystemRoot.host();

    @Parameters(paramLabel = "DUMP", arity = "0..*",
            description = "MODALIAS dumps (one MODALIAS per line); none: this machine's devices")
    List<Path> dumps = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sys != null && !dumps.isEmpty()) {
            throw ParameterErrors.of(spec, "--sys names this machine's devices: it does not go with DUMP files");
        }
        ModuleTreeOptions fromTree = tree("--from", from);
        ModuleTreeOptions toTree = tree("--to", to);
        boolean missing = fromTree.missingTree(err, TOOL);
        missing |= toTree.missingTree(err, TOOL);
        if (missing) {
            return 1;
        }
        Optional<Resolver> a = resolver(fromTree, err);
        Optional<Resolver> b = resolver(toTree, err);
        if (a.isEmpty() || b.isEmpty()) {
            return 1;
        }
        TreeComparison comparison = new TreeComparison(a.get(), b.get());
        boolean failed = dumps.isEmpty() ? !addDevices(comparison, err) : !addDumps(comparison, err);
        TreeComparison.Result result;
        try (Progress progress = Progress.onTerminal(err, TOOL)) {
            result = comparison.compare((done, total) -> progress.update(done + " of " + total + " MODALIAS values compared"));
        }
        err.flush();
        if (json) {
            printJson(result, out);
        } else {
            printTable(result, out);
        }
        out.flush();
        if (failed) {
            return 1;
        }
        if (result.any(Change.LOST)) {
            return EXIT_LOST;
        }
        return result.any(Change.CHANGED) ? EXIT_CHANGED : 0;
    }

    /** The tree {@code value} names: a MODDIR when it holds a '/', else ROOT/lib/modules/KVER. */
    private ModuleTreeOptions tree(String option, String value) {
        if (value.isEmpty()) {
            throw ParameterErrors.of(spec, option + " needs a KVER or a MODDIR, not an empty string");
        }
        ModuleTreeOptions t = new ModuleTreeOptions();
        t.system = system;
        t.root = root;
        t.configs = configs;
        if (value.indexOf('/') >= 0) {
            try {
                t.directory = Path.of(value);
            } catch (InvalidPathException e) {
                throw ParameterErrors.of(spec, option + ": not a path: " + e.getMessage());
            }
        } else {
            t.kernelVersion = value;
        }
        return t;
    }

    /**
     * A resolver over {@code tree} and the configuration (its warnings said once, though both sides
     * read it); empty, after a FATAL line, when the tree has no alias index (every device would look
     * lost).
     */
    private Optional<Resolver> resolver(ModuleTreeOptions tree, PrintWriter err) {
        Path dir = tree.moduleDirectory();
        BinModuleDatabase db = BinModuleDatabase.open(dir);
        Optional<IOException> problem = db.problem(ModuleDatabase.Index.ALIAS);
        if (problem.isPresent()) {
            err.println(TOOL + ": FATAL: cannot read the alias index of " + dir + ": " + problem.get().getMessage()
                    + " (run depmod)");
            err.flush();
            return Optional.empty();
        }
        Consumer<String> warnings = onceEach(w -> err.println(TOOL + ": WARNING: " + w));
        ModprobeConfig config = ModprobeConfigLoader.load(tree.configs, dir,
                ModuleTreeOptions.kernelCommandLine(tree.system, warnings), warnings);
        return Optional.of(new Resolver(db, config, ModuleState.nothingLoaded(), e -> err.println(TOOL + ": ERROR: " + e)));
    }

    private Consumer<String> onceEach(Consumer<String> sink) {
        return w -> {
            if (said.add(w)) {
                sink.accept(w);
            }
        };
    }

    /** This machine's devices (every MODALIAS in sysfs); false when sysfs cannot be read. */
    private boolean addDevices(TreeComparison comparison, PrintWriter err) {
        Path sysRoot = sys == null ? system.sys() : sys;
        List<SysfsDevice> devices;
        try {
            devices = SysfsDevices.scan(sysRoot, w -> err.println(TOOL + ": " + w));
        } catch (IOException e) {
            err.println(TOOL + ": " + e.getMessage());
            return false;
        }
        for (SysfsDevice d : devices) {
            d.modalias().ifPresent(m -> {
                String problem = ModaliasDump.problem(m);
                if (problem != null) {
                    err.println(TOOL + ": " + sysRoot.resolve(d.devpath().substring(1)) + "/uevent: MODALIAS skipped: " + problem);
                } else {
                    comparison.add(m, null);
                }
            });
        }
        return true;
    }

    /** Every dump's MODALIAS lines; false when one could not be read or held none. */
    private boolean addDumps(TreeComparison comparison, PrintWriter err) {
        boolean ok = true;
        for (Path dump : dumps) {
            String name = dump.toString();
            long count;
            try (InputStream in = Files.newInputStream(dump); Progress progress = Progress.onTerminal(err, TOOL)) {
                progress.update("reading " + name);
                count = ModaliasDump.read(in, m -> comparison.add(m, name),
                        bad -> err.println(TOOL + ": " + name + ":" + bad.number() + ": " + bad.problem() + ": skipped"));
            } catch (IOException e) {
                err.println(TOOL + ": " + name + ": cannot read: " + reason(e) + " (what was read is compared)");
                ok = false;
                continue;
            }
            if (count == 0) {
                err.println(TOOL + ": " + name + ": no MODALIAS in it");
                ok = false;
            }
        }
        return ok;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** One line per MODALIAS, TAB-separated, under a header; then the counts. */
    private void printTable(TreeComparison.Result result, PrintWriter out) {
        boolean withDumps = !dumps.isEmpty();
        out.println("CHANGE\tFROM\tTO\t" + (withDumps ? "DUMPS\t" : "") + "MODALIAS");
        for (Entry e : result.entries()) {
            out.println(e.change().word() + "\t" + modules(e.from()) + "\t"
                    + (e.builtIn().isEmpty() ? modules(e.to()) : String.join(" ", e.builtIn()) + " (built in)") + "\t"
                    + (withDumps ? e.sources().size() + "\t" : "") + shortened(e.modalias()));
        }
        Map<Change, Integer> counts = result.counts();
        out.println(result.entries().size() + " MODALIAS values from " + from + " to " + to + ": "
                + counts.get(Change.LOST) + " lost, " + counts.get(Change.CHANGED) + " changed, "
                + counts.get(Change.GAINED) + " gained, " + counts.get(Change.SAME) + " the same");
    }

    private static String modules(List<String> names) {
        return names.isEmpty() ? "-" : Resolve.column(String.join(" ", names));
    }

    /** {@code modalias} as the table shows it: whole up to {@link #TABLE_WIDTH} characters, else its start and "...". */
    static String shortened(String modalias) {
        if (modalias.length() <= TABLE_WIDTH) {
            return modalias;
        }
        int end = TABLE_WIDTH - 3;
        if (Character.isHighSurrogate(modalias.charAt(end - 1))) {
            end--; // never half a character
        }
        return modalias.substring(0, end) + "...";
    }

    /** A JSON array, one object per MODALIAS in the table's order; {@code dumps} empty for this machine's devices. */
    private static void printJson(TreeComparison.Result result, PrintWriter out) {
        StringBuilder sb = new StringBuilder(128 * (result.entries().size() + 1));
        sb.append('[');
        boolean first = true;
        for (Entry e : result.entries()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append("{\"modalias\":");
            Json.string(sb, e.modalias());
            sb.append(",\"from\":");
            Json.strings(sb, e.from());
            sb.append(",\"to\":");
            Json.strings(sb, e.to());
            sb.append(",\"change\":");
            Json.string(sb, e.change().word());
            sb.append(",\"dumps\":");
            Json.strings(sb, e.sources());
            sb.append(",\"built_in\":");
            Json.strings(sb, e.builtIn());
            sb.append('}');
        }
        sb.append(first ? "]\n" : "\n]\n");
        out.print(sb);
    }
}
