package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.module.ModuleInfo;

/**
 * Computes a {@link ModuleIndex} the way kmod 30's depmod does: finds the modules under
 * {@code <root>/lib/modules/<kver>} (and {@code external} directories), orders them, reads them
 * in parallel, resolves symbols and dependencies. A module that cannot be read is reported and
 * indexed without symbols or aliases, like kmod.
 */
public final class IndexBuilder {
    private final String dirname;
    private final String kernelVersion;
    private DepmodConfig config = DepmodConfig.DEFAULT;
    private Consumer<IndexProblem> report = p -> { };
    private Map<String, Long> kernelSymbols;
    private boolean checkVersions;
    private char symbolPrefix;
    private Consumer<String> needs;
    private List<String> files;
    private boolean readBuiltin = true;
    private int threads = Runtime.getRuntime().availableProcessors();

    private IndexBuilder(String dirname, String kernelVersion) {
        this.dirname = dirname;
        this.kernelVersion = kernelVersion;
    }

    /**
     * @param root          the tree's root ({@code -b}); {@code /} or null for the running system
     * @param kernelVersion the kernel version, the last part of the modules directory
     */
    private java.util.function.IntConsumer progress;

    public static IndexBuilder of(Path root, String kernelVersion) {
        return new IndexBuilder(moduleDirectory(root, kernelVersion), kernelVersion);
    }

    /** {@code <root>/lib/modules/<kver>} as depmod spells it (no root: {@code /lib/modules/<kver>}). */
    public static String moduleDirectory(Path root, String kernelVersion) {
        String r = root == null ? "" : root.toAbsolutePath().toString();
        if (r.equals("/")) {
            r = "";
        }
        return r + "/lib/modules/" + kernelVersion;
    }

    public IndexBuilder config(DepmodConfig config) {
        this.config = config;
        return this;
    }

    /** Where problems go (each one line, as kmod reports them); the default drops them. */
    public IndexBuilder reporter(Consumer<IndexProblem> report) {
        this.report = report;
        return this;
    }

    /** Symbols the kernel provides (System.map); with them, unknown needed symbols are reported. */
    public IndexBuilder kernelSymbols(Set<String> symbols) {
        if (symbols == null) {
            this.kernelSymbols = null;
        } else {
            Map<String, Long> m = new HashMap<>(symbols.size() * 2);
            for (String s : symbols) {
                m.put(s, 0L);
            }
            this.kernelSymbols = m;
        }
        this.checkVersions = false;
        return this;
    }

    /**
     * The kernel's symbols with their CRCs (Module.symvers, {@code -E}); with them, unknown needed
     * symbols are reported, and so is every needed symbol whose CRC differs from its provider's.
     */
    public IndexBuilder kernelSymbolVersions(Map<String, Long> symbols) {
        this.kernelSymbols = symbols == null ? null : new HashMap<>(symbols);
        this.checkVersions = symbols != null;
        return this;
    }

    /** The architecture's symbol prefix ({@code -P}), dropped from the front of symbol names; 0 for none. */
    public IndexBuilder symbolPrefix(char prefix) {
        this.symbolPrefix = prefix;
        return this;
    }

    /**
     * Receives, as dependencies are found, depmod {@code -v}'s line for each:
     * {@code MODULE needs "SYMBOL": PROVIDER} (full paths); null for none.
     */
    public IndexBuilder dependencyLog(Consumer<String> lines) {
        this.needs = lines;
        return this;
    }

    /**
     * depmod's explicit mode ({@code depmod KVER FILE...}): index exactly these module files
     * (absolute paths), without scanning the directory or applying depmod.d; null for a scan.
     * {@link #build} then throws {@link ModuleListException} for a relative path, a
     * missing file or a second file of one name.
     */
    public IndexBuilder files(List<String> paths) {
        this.files = paths == null ? null : List.copyOf(paths);
        return this;
    }

    /** Whether to read modules.builtin and modules.builtin.modinfo (kmod's dry run does not). */
    public IndexBuilder readBuiltin(boolean read) {
        this.readBuiltin = read;
        return this;
    }

    /** Told the number of module files read so far, after each (from the reading threads); null for nothing. */
    public IndexBuilder progress(java.util.function.IntConsumer filesRead) {
        this.progress = filesRead;
        return this;
    }

    /** How many threads read module files (default: the number of processors). */
    public IndexBuilder threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        return this;
    }

    /**
     * Builds the index.
     *
     * @throws IOException              when the modules directory itself cannot be read
     * @throws DependencyCycleException when dependencies form cycles (nothing should be written)
     */
    public ModuleIndex build() throws IOException, DependencyCycleException {
        ParallelReader reader = new ParallelReader(threads, progress);
        List<ModuleScanner.Candidate> found;
        try {
            ModuleScanner scanner = new ModuleScanner(dirname, kernelVersion, files == null ? config : DepmodConfig.DEFAULT,
                    report).onFound(reader::submit);
            found = files == null ? scanner.scan() : scanner.files(files);
        } finally {
            reader.finish();
        }
        List<String> keys = new ArrayList<>(found.size());
        for (ModuleScanner.Candidate c : found) {
            keys.add(c.orderKey());
        }
        List<ModuleScanner.Candidate> ordered = DepmodInputs.order(found, keys, dirname, report);
        List<ModuleInfo> infos = new ArrayList<>(ordered.size());
        for (ModuleScanner.Candidate c : ordered) {
            ParallelReader.Result r = reader.result(c.path());
            if (r.error() != null) {
                report.accept(IndexProblem.error("failed to load symbols from " + c.path() + ": " + r.error()));
            } else if (r.info().damage().isPresent()) {
                report.accept(IndexProblem.warning(c.path() + ": " + r.info().damage().get()));
            }
            infos.add(r.info() != null ? r.info()
                    : new ModuleInfo(c.name(), Path.of(c.path()), List.of(), List.of(), List.of(), Optional.empty()));
        }
        DependencySolver.Solved solved = DependencySolver.solve(infos,
                new DependencySolver.Symbols(kernelSymbols, checkVersions, symbolPrefix, needs), report);

        List<IndexedModule> modules = new ArrayList<>(ordered.size());
        for (int i = 0; i < ordered.size(); i++) {
            ModuleScanner.Candidate c = ordered.get(i);
            int[] deps = solved.dependencies()[i];
            List<String> names = new ArrayList<>(deps.length);
            for (int d : deps) {
                names.add(ordered.get(d).name());
            }
            modules.add(new IndexedModule(c.name(), c.relpath() != null ? c.relpath() : c.path(), i, infos.get(i), names));
        }
        List<KmodHash.Key<ModuleIndex.Symbol>> sym = new ArrayList<>(solved.symbolOwners().size());
        for (Map.Entry<String, Integer> e : solved.symbolOwners().entrySet()) {
            sym.add(new KmodHash.Key<>(e.getKey(), KmodHash.SYMBOL_BUCKETS,
                    new ModuleIndex.Symbol(e.getKey(), ordered.get(e.getValue()).name())));
        }
        Collections.sort(sym);
        List<ModuleIndex.Symbol> symbols = new ArrayList<>(sym.size());
        for (KmodHash.Key<ModuleIndex.Symbol> k : sym) {
            symbols.add(k.item);
        }
        List<String> builtin = readBuiltin ? DepmodInputs.builtin(dirname, report) : null;
        List<ModuleIndex.Alias> builtinAliases = readBuiltin ? DepmodInputs.builtinAliases(dirname, report) : null;
        return new ModuleIndex(dirname, modules, symbols, builtin, builtinAliases);
    }

    /**
     * kmod's quick check ({@code -A}): true when {@code modules.dep} exists and no module file
     * under the directory (build/ and source/ skipped) has a modification time, in seconds,
     * later than it.
     */
    public static boolean upToDate(String moduleDirectory) {
        long depTime;
        try {
            depTime = Files.getLastModifiedTime(Path.of(moduleDirectory, "modules.dep")).toMillis() / 1000;
        } catch (IOException e) {
            return false;
        }
        return upToDate(Path.of(moduleDirectory), depTime);
    }

    private static boolean upToDate(Path dir, long depTime) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.equals("build") || name.equals("source")) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue;
                }
                if (a.isDirectory()) {
                    if (!upToDate(p, depTime)) {
                        return false;
                    }
                } else if (a.isRegularFile() && ModuleScanner.isModuleFile(name)
                        && Math.floorDiv(a.lastModifiedTime().toMillis(), 1000) > depTime) {
                    return false;
                }
            }
        } catch (IOException e) {
            return true;
        }
        return true;
    }

    /**
     * The kernel's exported symbols from a System.map ({@code ADDR TYPE __ksymtab_NAME} lines),
     * plus the symbols the module loader provides itself; bad lines are reported with file:line.
     */
    public static Set<String> readSystemMap(Path file, Consumer<IndexProblem> report) throws IOException {
        return readSystemMap(file, (char) 0, report);
    }

    /** As {@link #readSystemMap(Path, Consumer)}, a symbol prefix ({@code -P}) dropped before {@code __ksymtab_}. */
    public static Set<String> readSystemMap(Path file, char prefix, Consumer<IndexProblem> report) throws IOException {
        Set<String> out = new HashSet<>();
        int lineNo = 0;
        for (String line : lines(file)) {
            lineNo++;
            int a = line.indexOf(' ');
            int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            if (b < 0) {
                report.accept(IndexProblem.error(file + ":" + lineNo + ": invalid line: " + line));
                continue;
            }
            String sym = line.substring(b + 1);
            if (prefix != 0 && !sym.isEmpty() && sym.charAt(0) == prefix) {
                sym = sym.substring(1);
            }
            if (sym.startsWith("__ksymtab_")) {
                out.add(sym.substring("__ksymtab_".length()));
            }
        }
        out.addAll(LOADER_SYMBOLS);
        return out;
    }

    /**
     * A symbol file's lines. A directory reads as empty, as in kmod: fopen() opens it and the first
     * fgets() fails, which depmod takes for the end of the file.
     */
    private static List<String> lines(Path file) throws IOException {
        return Files.isDirectory(file) ? List.of() : Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** What the module loader provides itself (kmod's fake symbols). */
    private static final List<String> LOADER_SYMBOLS = List.of("__this_module", "_GLOBAL_OFFSET_TABLE_", "TOC.");

    /**
     * The kernel's symbols and their CRCs from a Module.symvers ({@code 0xCRC NAME vmlinux ...}
     * lines, fields separated by blanks or tabs; lines of other modules, and lines of fewer than
     * three fields, are skipped), the symbol prefix ({@code -P}) dropped, plus the symbols the
     * module loader provides itself (CRC 0). A CRC that is not hexadecimal is reported with
     * file:line, in kmod's words, and its line skipped.
     */
    public static Map<String, Long> readSymvers(Path file, char prefix, Consumer<IndexProblem> report) throws IOException {
        Map<String, Long> out = new HashMap<>();
        int lineNo = 0;
        for (String line : lines(file)) {
            lineNo++;
            String[] f = fields(line, 3);
            if (f == null || !f[2].equals("vmlinux")) {
                continue;
            }
            Long crc = parseCrc(f[0]);
            if (crc == null) {
                // kmod appends strerror(errno), which strtoull leaves untouched here: 0, "Success"
                report.accept(IndexProblem.error(file + ":" + lineNo + " Invalid symbol version " + f[0] + ": Success"));
                continue;
            }
            String sym = f[1];
            if (prefix != 0 && sym.charAt(0) == prefix) {
                sym = sym.substring(1);
            }
            out.put(sym, crc);
        }
        for (String s : LOADER_SYMBOLS) {
            out.put(s, 0L);
        }
        return out;
    }

    /** The first {@code count} fields of a line split on blanks and tabs (as strtok does), or null when fewer. */
    private static String[] fields(String line, int count) {
        String[] out = new String[count];
        int i = 0;
        int n = line.length();
        for (int f = 0; f < count; f++) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i == n) {
                return null;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            out[f] = line.substring(start, i);
        }
        return out;
    }

    /** strtoull(s, 16) over the whole field: optional sign, optional 0x, hex digits; null when not. */
    static Long parseCrc(String s) {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i + 2 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) | 0x20) == 'x' && hex(s.charAt(i + 2)) >= 0) {
            i += 2;
        }
        if (i == s.length()) {
            return null;
        }
        long v = 0;
        boolean overflow = false;
        for (; i < s.length(); i++) {
            int d = hex(s.charAt(i));
            if (d < 0) {
                return null;
            }
            overflow |= (v >>> 60) != 0;
            v = (v << 4) | d;
        }
        if (overflow) {
            return -1L; // ULLONG_MAX, as strtoull gives on overflow
        }
        return negative ? -v : v;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = (char) (c | 0x20);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }
}
