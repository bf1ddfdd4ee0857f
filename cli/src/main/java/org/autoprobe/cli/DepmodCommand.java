package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.index.trie.TrieWriter;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.tools.Depmod;
import org.autoprobe.rules.depmod.DepmodConfigParser;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe depmod}: kmod 30's depmod — writes the module index files of a kernel's modules
 * directory. This class parses the options (and warns about the deprecated ones, as met on the
 * command line) and prints; core's {@link Depmod} does the work.
 */
@Command(name = "depmod", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Generate modules.dep and the other module index files, as kmod's depmod.")
final class DepmodCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Where the running kernel's release is read; a test may point it at a fixture. */
    SystemRoot system = SystemRoot.host();

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
        warnDeprecated(err);
        TrieWriter.Layout layout;
        if (kmodLayout == null) {
            layout = KmodVersion.installedLayout();
        } else if (kmodLayout.equals("30") || kmodLayout.equals("34")) {
            layout = kmodLayout.equals("30") ? TrieWriter.Layout.KMOD_30 : TrieWriter.Layout.KMOD_34;
        } else {
            err.println("depmod: ERROR: --kmod-layout takes 30 or 34, not '" + kmodLayout + "'");
            return 1;
        }
        Depmod.Options options = new Depmod.Options(positional, all, quick, basedir, outdir, dryRun, errsyms, systemMap,
                symvers, symbolPrefix, warnDuplicates, verbose.length, layout);
        try (Progress progress = Progress.onTerminal(err, "depmod")) {
            Depmod.Host host = new Depmod.Host() {
                @Override
                public String runningRelease() throws IOException {
                    return system.osRelease();
                }

                @Override
                public DepmodConfig config(Consumer<String> errors) {
                    return DepmodConfigParser.load(config, errors);
                }

                @Override
                public void progress(int filesRead) {
                    progress.update(filesRead + " module files read");
                }

                @Override
                public void progressDone() {
                    progress.erase();
                }
            };
            return new Depmod(host).run(options, spec.commandLine().getOut(), (priority, text) -> {
                progress.erase(); // a message takes the progress line's place
                err.println("depmod: " + text);
            });
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
