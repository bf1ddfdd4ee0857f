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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.index.DependencyCycleException;
import org.autoprobe.core.index.IndexBuilder;
import org.autoprobe.core.index.IndexProblem;
import org.autoprobe.core.index.IndexWriter;
import org.autoprobe.core.index.ModuleListException;
import org.autoprobe.core.index.ModuleIndex;
import org.autoprobe.core.text.RawText;
import org.autoprobe.rules.depmod.DepmodConfigParser;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoprobe depmod}: kmod 30's depmod — writes the module index files of a kernel's modules directory. */
@Command(name = "depmod", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Generate modules.dep and the other module index files, as kmod's depmod.")
public final class DepmodCommand implements Callable<Integer> {
    private static final Pattern VERSION = Pattern.compile("^\\s*[+-]?\\d+\\.\\s*[+-]?\\d+.*", Pattern.DOTALL);

    @Spec
    CommandSpec spec;

    @Option(names = {"-a", "--all"}, description = "Probe all modules (the default).")
    boolean all;

    @Option(names = {"-A", "--quick"}, description = "Only do the work if a module is newer than modules.dep.")
    boolean quick;

    @Option(names = {"-b", "--basedir"}, paramLabel = "DIR", description = "Use an image of a module tree.")
    Path basedir;

    @Option(names = {"-o", "--outdir"}, paramLabel = "DIR", description = "Output root (default: the base directory).")
    Path outdir;

    @Option(names = {"-C", "--config"}, paramLabel = "PATH", description = "Read configuration from PATH (repeatable).")
    List<Path> config = new ArrayList<>();

    @Option(names = {"-n", "--show", "--dry-run"}, description = "Write the text files to standard output only.")
    boolean dryRun;

    @Option(names = {"-e", "--errsyms"}, description = "Report symbols nobody provides (needs -F).")
    boolean errsyms;

    @Option(names = {"-F", "--filesyms"}, paramLabel = "System.map", description = "The kernel's symbols.")
    Path systemMap;

    @Option(names = {"-E", "--symvers"}, paramLabel = "Module.symvers",
            description = "The kernel's symbols and their versions; with -e, also report version mismatches.")
    Path symvers;

    @Option(names = {"-P", "--symbol-prefix"}, paramLabel = "CHAR", description = "Architecture symbol prefix.")
    String symbolPrefix;

    @Option(names = {"-w", "--warn"}, description = "Warn on duplicate dependencies, aliases and symbol aliases.")
    boolean warnDuplicates;

    @Option(names = {"-v", "--verbose"}, description = "Print each module's symbol dependencies as they are found.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-u", "--unresolved-error"}, hidden = true, description = "Deprecated, ignored.")
    boolean deprecatedU;

    @Option(names = {"-q", "--quiet"}, hidden = true, description = "Deprecated, ignored.")
    boolean deprecatedQ;

    @Option(names = {"-r", "--root"}, hidden = true, description = "Deprecated, ignored.")
    boolean deprecatedR;

    @Option(names = {"-m", "--map"}, hidden = true, description = "Deprecated, ignored.")
    boolean deprecatedM;

    @Option(names = "--kmod-layout", paramLabel = "30|34", description = "Lay out the .bin files as kmod 30 (root "
            + "last) or kmod 34 (root first) does; default: as the kmod installed here (34 without one).")
    String kmodLayout;

    @Parameters(paramLabel = "KVER [FILE...]", description = "Kernel version (default: the running kernel's), then "
            + "module files (absolute paths) to index instead of the whole modules directory.")
    List<String> positional = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Consumer<IndexProblem> report = p -> err.println("depmod: " + p.severity() + ": " + p.message());
        warnDeprecated(err);
        org.autoprobe.core.index.trie.TrieWriter.Layout layout;
        if (kmodLayout == null) {
            layout = KmodVersion.installedLayout();
        } else if (kmodLayout.equals("30") || kmodLayout.equals("34")) {
            layout = kmodLayout.equals("30") ? org.autoprobe.core.index.trie.TrieWriter.Layout.KMOD_30
                    : org.autoprobe.core.index.trie.TrieWriter.Layout.KMOD_34;
        } else {
            err.println("depmod: ERROR: --kmod-layout takes 30 or 34, not '" + kmodLayout + "'");
            return 1;
        }
        char prefix = 0;
        if (symbolPrefix != null) {
            if (symbolPrefix.length() > 1) {
                err.println("depmod: FATAL: -P only takes a single char");
                return 1;
            }
            prefix = symbolPrefix.isEmpty() ? 0 : symbolPrefix.charAt(0);
        }
        String kver = positional.isEmpty() ? null : positional.get(0);
        // as kmod: module files after the version, unless -a or -A asks for the whole directory
        List<String> files = positional.size() > 1 && !all && !quick ? positional.subList(1, positional.size()) : null;
        if (kver != null) {
            if (!VERSION.matcher(kver).matches()) {
                err.println("depmod: ERROR: Bad version passed " + kver);
                return 1;
            }
        } else {
            try {
                kver = Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.ISO_8859_1).strip();
            } catch (IOException e) {
                err.println("depmod: FATAL: cannot read the running kernel's version: " + IndexProblem.reason(e));
                return 1;
            }
        }
        String dirname = IndexBuilder.moduleDirectory(basedir, kver);
        if (quick && (dryRun || IndexBuilder.upToDate(dirname))) {
            return 0;
        }
        Set<String> kernelSymbols = null;
        Map<String, Long> kernelVersions = null;
        if (symvers != null) { // as kmod: a Module.symvers wins over a System.map
            try {
                kernelVersions = IndexBuilder.readSymvers(symvers, prefix, report);
            } catch (IOException e) {
                err.println("depmod: FATAL: could not load " + symvers + ": " + IndexProblem.reason(e));
                return 1;
            }
        } else if (systemMap != null) {
            try {
                kernelSymbols = IndexBuilder.readSystemMap(systemMap, prefix, report);
            } catch (IOException e) {
                err.println("depmod: FATAL: could not load " + systemMap + ": " + IndexProblem.reason(e));
                return 1;
            }
        } else if (errsyms) {
            err.println("depmod: WARNING: -e needs -E or -F");
        }
        PrintWriter out = spec.commandLine().getOut();
        // kmod reads depmod.d only to scan the directory
        DepmodConfig cfg = files != null ? DepmodConfig.DEFAULT
                : DepmodConfigParser.load(config, m -> err.println("depmod: ERROR: " + m));
        ModuleIndex index;
        try (Progress progress = Progress.onTerminal(err, "depmod")) {
            Consumer<IndexProblem> reportBelow = p -> {
                progress.erase(); // a message takes the progress line's place
                report.accept(p);
            };
            IndexBuilder builder = IndexBuilder.of(basedir, kver).config(cfg).reporter(reportBelow).symbolPrefix(prefix)
                    .dependencyLog(verbose.length > 0 ? out::println : null).readBuiltin(!dryRun).files(files)
                    .progress(n -> progress.update(n + " module files read"));
            if (kernelVersions != null) {
                builder.kernelSymbolVersions(errsyms ? kernelVersions : null);
            } else {
                builder.kernelSymbols(errsyms ? kernelSymbols : null);
            }
            index = builder.build();
        } catch (DependencyCycleException e) {
            for (String c : e.cycles()) {
                err.println("depmod: ERROR: Cycle detected: " + c);
            }
            err.println("depmod: ERROR: Found " + e.moduleCount() + " modules in dependency cycles!");
            return 1;
        } catch (ModuleListException e) {
            err.println("depmod: FATAL: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("depmod: FATAL: could not search modules: " + IndexProblem.reason(e));
            return 1;
        }
        IndexWriter writer = new IndexWriter(index, report).warnDuplicates(warnDuplicates).layout(layout);
        try {
            if (dryRun) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                writer.dryRun(buf);
                out.print(RawText.decode(buf.toByteArray())); // the writer puts back exactly these bytes
                out.flush();
                return 0;
            }
            Path target = outdir == null ? Path.of(dirname)
                    : Path.of(IndexBuilder.moduleDirectory(outdir, kver));
            Files.createDirectories(target);
            return writer.writeAll(target).isEmpty() ? 0 : 1;
        } catch (IOException e) {
            err.println("depmod: FATAL: " + IndexProblem.reason(e));
            return 1;
        }
    }

    /**
     * kmod accepts {@code -u}, {@code -q}, {@code -r} and {@code -m} (and their long names) from
     * older depmods and says it ignores them, as it met them on the command line.
     */
    private void warnDeprecated(PrintWriter err) {
        if (!(deprecatedU || deprecatedQ || deprecatedR || deprecatedM)) {
            return;
        }
        Map<String, String> longNames = Map.of("u", "unresolved-error", "q", "quiet", "r", "root", "m", "map");
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (arg.startsWith("--")) {
                if (longNames.containsValue(arg.substring(2))) {
                    err.println("depmod: WARNING: Ignored deprecated option " + arg);
                }
            } else if (arg.length() > 1 && arg.startsWith("-") && arg.substring(1).chars().allMatch(c -> "aAenvwuqrm".indexOf(c) >= 0)) {
                for (char c : arg.substring(1).toCharArray()) {
                    if (longNames.containsKey(String.valueOf(c))) {
                        err.println("depmod: WARNING: Ignored deprecated option -" + c);
                    }
                }
            }
        }
    }
}
