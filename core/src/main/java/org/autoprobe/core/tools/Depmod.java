package org.autoprobe.core.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.index.DependencyCycleException;
import org.autoprobe.core.index.IndexBuilder;
import org.autoprobe.core.index.IndexProblem;
import org.autoprobe.core.index.IndexWriter;
import org.autoprobe.core.index.ModuleIndex;
import org.autoprobe.core.index.ModuleListException;
import org.autoprobe.core.index.trie.TrieWriter;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.text.RawText;

/**
 * kmod 30's {@code depmod}, given its parsed options: reads the module tree (or the files named),
 * then writes the index files of its modules directory, or with {@code -n} their text to standard
 * output. Its output streams (a whole tree's indexes), so it writes to the caller's writer as it
 * goes and its messages pass through one {@link ToolLog} to the caller's {@link LogSink} as they
 * happen (a progress line may have to make room for them); {@link #run} returns the exit code.
 */
public final class Depmod {
    private static final Pattern VERSION = Pattern.compile("^\\s*[+-]?\\d+\\.\\s*[+-]?\\d+.*", Pattern.DOTALL);

    /**
     * A depmod command line, parsed.
     *
     * @param positional     the kernel version (default: the running kernel's), then module files
     *                       (absolute paths) to index instead of the whole modules directory
     * @param all            {@code -a}
     * @param quick          {@code -A}
     * @param basedir        {@code -b}; null for {@code /}
     * @param outdir         {@code -o}; null for the base directory
     * @param dryRun         {@code -n}
     * @param errsyms        {@code -e}
     * @param systemMap      {@code -F}; may be null
     * @param symvers        {@code -E}; may be null
     * @param symbolPrefix   {@code -P}'s value; null without it
     * @param warnDuplicates {@code -w}
     * @param verbose        how many {@code -v}
     * @param layout         how the {@code .bin} files are laid out (kmod 30's or 34's)
     */
    public record Options(List<String> positional, boolean all, boolean quick, Path basedir, Path outdir,
                          boolean dryRun, boolean errsyms, Path systemMap, Path symvers, String symbolPrefix,
                          boolean warnDuplicates, int verbose, TrieWriter.Layout layout) {
        public Options {
            positional = List.copyOf(positional);
            Objects.requireNonNull(layout, "layout");
        }
    }

    /** What a run needs from outside, each asked for only when needed. */
    public interface Host {
        /** The running kernel's release (the CLI's: {@link org.autoprobe.core.root.SystemRoot#osRelease}). */
        String runningRelease() throws IOException;

        /** depmod.d, parsed; {@code errors} hears each problem (kmod prints them as ERROR). */
        DepmodConfig config(Consumer<String> errors);

        /** {@code filesRead} module files read so far (for a progress line; nothing by default). */
        default void progress(int filesRead) {
        }

        /** Reading is over: a progress line is taken away before anything more is written. */
        default void progressDone() {
        }
    }

    private final Host host;

    public Depmod(Host host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * Runs.
     *
     * @param out      standard output ({@code -v}'s dependency lines, {@code -n}'s index text)
     * @param messages where {@code LEVEL: message} lines go as they happen (the caller prefixes
     *                 {@code depmod: } for standard error)
     * @return the exit code
     */
    public int run(Options o, PrintWriter out, LogSink messages) {
        ToolLog log = new ToolLog("depmod", ToolLog.LOG_DEBUG, messages);
        Consumer<IndexProblem> report = p -> log.log(p.severity() == IndexProblem.Severity.ERROR ? ToolLog.LOG_ERR
                : ToolLog.LOG_WARNING, p.message());
        char prefix = 0;
        if (o.symbolPrefix() != null) {
            if (o.symbolPrefix().length() > 1) {
                log.log(ToolLog.LOG_CRIT, "-P only takes a single char");
                return 1;
            }
            prefix = o.symbolPrefix().isEmpty() ? 0 : o.symbolPrefix().charAt(0);
        }
        List<String> positional = o.positional();
        String kver = positional.isEmpty() ? null : positional.get(0);
        // as kmod: module files after the version, unless -a or -A asks for the whole directory
        List<String> files = positional.size() > 1 && !o.all() && !o.quick() ? positional.subList(1, positional.size())
                : null;
        if (kver != null) {
            if (!VERSION.matcher(kver).matches()) {
                log.log(ToolLog.LOG_ERR, "Bad version passed " + kver);
                return 1;
            }
        } else {
            try {
                kver = host.runningRelease();
            } catch (IOException e) {
                log.log(ToolLog.LOG_CRIT, "cannot read the running kernel's version: " + IndexProblem.reason(e));
                return 1;
            }
        }
        String dirname = IndexBuilder.moduleDirectory(o.basedir(), kver);
        if (o.quick() && (o.dryRun() || IndexBuilder.upToDate(dirname))) {
            return 0;
        }
        Set<String> kernelSymbols = null;
        Map<String, Long> kernelVersions = null;
        if (o.symvers() != null) { // as kmod: a Module.symvers wins over a System.map
            try {
                kernelVersions = IndexBuilder.readSymvers(o.symvers(), prefix, report);
            } catch (IOException e) {
                log.log(ToolLog.LOG_CRIT, "could not load " + o.symvers() + ": " + IndexProblem.reason(e));
                return 1;
            }
        } else if (o.systemMap() != null) {
            try {
                kernelSymbols = IndexBuilder.readSystemMap(o.systemMap(), prefix, report);
            } catch (IOException e) {
                log.log(ToolLog.LOG_CRIT, "could not load " + o.systemMap() + ": " + IndexProblem.reason(e));
                return 1;
            }
        } else if (o.errsyms()) {
            log.log(ToolLog.LOG_WARNING, "-e needs -E or -F");
        }
        // kmod reads depmod.d only to scan the directory
        DepmodConfig cfg = files != null ? DepmodConfig.DEFAULT : host.config(m -> log.log(ToolLog.LOG_ERR, m));
        ModuleIndex index;
        try {
            IndexBuilder builder = IndexBuilder.of(o.basedir(), kver).config(cfg).reporter(report).symbolPrefix(prefix)
                    .dependencyLog(o.verbose() > 0 ? out::println : null).readBuiltin(!o.dryRun()).files(files)
                    .progress(host::progress);
            if (kernelVersions != null) {
                builder.kernelSymbolVersions(o.errsyms() ? kernelVersions : null);
            } else {
                builder.kernelSymbols(o.errsyms() ? kernelSymbols : null);
            }
            index = builder.build();
        } catch (DependencyCycleException e) {
            host.progressDone();
            for (String c : e.cycles()) {
                log.log(ToolLog.LOG_ERR, "Cycle detected: " + c);
            }
            log.log(ToolLog.LOG_ERR, "Found " + e.moduleCount() + " modules in dependency cycles!");
            return 1;
        } catch (ModuleListException e) {
            host.progressDone();
            log.log(ToolLog.LOG_CRIT, e.getMessage());
            return 1;
        } catch (IOException e) {
            host.progressDone();
            log.log(ToolLog.LOG_CRIT, "could not search modules: " + IndexProblem.reason(e));
            return 1;
        }
        host.progressDone();
        IndexWriter writer = new IndexWriter(index, report).warnDuplicates(o.warnDuplicates()).layout(o.layout());
        try {
            if (o.dryRun()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                writer.dryRun(buf);
                out.print(RawText.decode(buf.toByteArray())); // the writer puts back exactly these bytes
                out.flush();
                return 0;
            }
            Path target = o.outdir() == null ? Path.of(dirname) : Path.of(IndexBuilder.moduleDirectory(o.outdir(), kver));
            Files.createDirectories(target);
            return writer.writeAll(target).isEmpty() ? 0 : 1;
        } catch (IOException e) {
            log.log(ToolLog.LOG_CRIT, IndexProblem.reason(e));
            return 1;
        }
    }
}
