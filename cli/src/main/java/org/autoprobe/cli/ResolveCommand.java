package org.autoprobe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;

import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.text.RawText;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe resolve}: batch alias queries. One output line per alias: the alias, a tab, and
 * the modules it resolves to (each once, in kmod's order, space separated) or {@code -}.
 *
 * <p>Standard input is read as bytes: only {@code \n} ends a line, so every input line gets exactly
 * one output line (a final line without {@code \n} counts; a CR is part of its line). The alias is
 * looked up as the C string kmod would be given, its bytes up to the first NUL (bytes that are not
 * UTF-8 included). The echoed alias is the whole line, with NUL, CR and TAB written as {@code \0},
 * {@code \r} and {@code \t} (and so are they in a module name), so that neither column breaks the
 * line or its one tab.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Resolve aliases (e.g. MODALIAS strings) to module names, one line each.",
        footer = {"", "Standard input is read as bytes; only \\n ends a line: one output line per input line.",
                "An alias is looked up up to its first NUL byte, as kmod would see it. In the output,",
                "NUL, CR and TAB are written as \\0, \\r and \\t.",
                "A module directory that is not there is FATAL (exit 1), as for kmod's modprobe -R."})
public final class ResolveCommand implements Callable<Integer>, Main.Direct {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = {"-b", "--use-blacklist"}, description = "Leave out blacklisted modules.")
    boolean useBlacklist;

    @Option(names = "--threads", paramLabel = "N",
            description = "Resolve with N worker threads (default: one per processor); output keeps input order.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "ALIAS", arity = "1..*", description = "Aliases to resolve; '-' reads one per line from standard input.")
    List<String> aliases = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (threads < 1) {
            throw ParameterErrors.of(spec, "--threads must be at least 1, not " + threads);
        }
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Resolves every alias (and stdin for {@code -}), printing to {@code out}; returns the exit code. */
    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        if (!Files.isDirectory(tree.moduleDirectory()) && tree.missingTree(err, "resolve", firstLookup(System.in))) {
            return 1; // as kmod's modprobe -R, which finds nothing in a tree that is not there: FATAL, exit 1
        }
        ModprobeConfig config = tree.config(err, "resolve");
        ModuleDatabase db = tree.database();
        Batches batches = new Batches(db, config, useBlacklist, threads, out, err);
        try {
            for (String a : aliases) {
                if (a.equals("-")) {
                    readLines(System.in, batches);
                } else {
                    batches.add(a);
                }
            }
            batches.finish();
        } finally {
            batches.close();
        }
        out.flush();
        return 0;
    }

    /**
     * The first lookup this run would make, as kmod would see it (up to its first NUL): the first
     * alias argument, or for {@code -} the first line of {@code in} (read up to its {@code \n}, or
     * to the end); null when there is none.
     */
    String firstLookup(InputStream in) throws IOException {
        for (String a : aliases) {
            if (!a.equals("-")) {
                return RawText.beforeNul(a);
            }
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            int b = in.read();
            if (b < 0) {
                continue; // nothing there: the next argument is the first lookup
            }
            while (b >= 0 && b != '\n') {
                line.write(b);
                b = in.read();
            }
            return RawText.beforeNul(RawText.decode(line.toByteArray()));
        }
        return null;
    }

    /**
     * Adds each line of {@code in} to the batches: lines end at {@code \n} only; a last line
     * without one counts unless it is empty. Each line is decoded with {@link RawText#decode}, so
     * its bytes are looked up (and echoed) exactly.
     */
    static void readLines(InputStream in, Batches batches) throws IOException, InterruptedException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line = append(line, len, buf, start, i);
                    len += i - start;
                    batches.add(RawText.decode(line, 0, len));
                    len = 0;
                    start = i + 1;
                }
            }
            line = append(line, len, buf, start, n);
            len += n - start;
        }
        if (len > 0) {
            batches.add(RawText.decode(line, 0, len));
        }
    }

    private static byte[] append(byte[] line, int len, byte[] buf, int from, int to) {
        int add = to - from;
        if (len + add > line.length) {
            line = java.util.Arrays.copyOf(line, Math.max(len + add, line.length * 2));
        }
        System.arraycopy(buf, from, line, len, add);
        return line;
    }

    /** {@code s} with NUL, CR and TAB written as {@code \0}, {@code \r}, {@code \t}: one column of one line. */
    static String column(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) != 0 && s.charAt(i) != '\r' && s.charAt(i) != '\t') {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder sb = new StringBuilder(n + 8).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case 0 -> sb.append("\\0");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The command as picocli would configure it from {@code args} (which start with
     * {@code resolve}), or null when {@code args} use anything but the plain forms: {@code -d DIR},
     * {@code --dirname[=]DIR}, {@code -S}/{@code --set-version}, {@code -C}/{@code --config}
     * (repeatable), {@code -b}/{@code --use-blacklist}, {@code --threads[=]N}, {@code --}, and
     * aliases. Building picocli's model from the annotations costs ~60 ms of a one-shot run's
     * start, more than resolving thousands of aliases; so the batch command's plain invocations
     * skip it, and everything else (help, version, errors, clustered or attached short options,
     * {@code @files}, repeated single options, values that look like options) goes to picocli,
     * which stays the one definition of the syntax. {@code ResolveFastPathTest} checks that both
     * agree.
     */
    static ResolveCommand fastPath(String[] args) {
        if (args.length < 2 || !args[0].equals("resolve")) {
            return null;
        }
        ResolveCommand c = new ResolveCommand();
        c.tree = new ModuleTreeOptions();
        boolean blacklistSeen = false;
        boolean threadsSeen = false;
        boolean positionalOnly = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("@")) {
                return null; // an argument file, for picocli to expand
            }
            if (positionalOnly || a.equals("-") || !a.startsWith("-")) {
                c.aliases.add(a);
                continue;
            }
            if (a.equals("--")) {
                positionalOnly = true;
                continue;
            }
            if (a.equals("-b") || a.equals("--use-blacklist")) {
                if (blacklistSeen) {
                    return null;
                }
                blacklistSeen = true;
                c.useBlacklist = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!(name.equals("-d") || name.equals("--dirname") || name.equals("-S") || name.equals("--set-version")
                    || name.equals("-C") || name.equals("--config") || name.equals("--threads"))) {
                return null;
            }
            if (value == null) {
                if (i + 1 == args.length || args[i + 1].startsWith("-") || args[i + 1].startsWith("@")) {
                    return null;
                }
                value = args[++i];
            }
            switch (name) {
                case "-d", "--dirname" -> {
                    if (c.tree.root != null || (c.tree.root = path(value)) == null) {
                        return null;
                    }
                }
                case "-S", "--set-version" -> {
                    if (c.tree.kernelVersion != null) {
                        return null;
                    }
                    c.tree.kernelVersion = value;
                }
                case "-C", "--config" -> {
                    Path p = path(value);
                    if (p == null) {
                        return null;
                    }
                    c.tree.configs.add(p);
                }
                default -> {
                    if (threadsSeen || value.isEmpty() || value.length() > 6 || !value.chars().allMatch(Character::isDigit)
                            || Integer.parseInt(value) < 1) {
                        return null;
                    }
                    threadsSeen = true;
                    c.threads = Integer.parseInt(value);
                }
            }
        }
        return c.aliases.isEmpty() ? null : c;
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Lines resolved in batches, by as many workers as there are processors, printed in input order.
     * Each worker has its own {@link Resolver} (whose error messages go with the batch that caused
     * them, so stderr keeps input order too); the answers remembered are shared. At most two batches
     * per worker are in flight, so a stream of any length runs in bounded memory.
     */
    static final class Batches implements AutoCloseable {
        static final int LINES = 512;
        private final ModuleDatabase db;
        private final ModprobeConfig config;
        private final boolean useBlacklist;
        private final PrintWriter out;
        private final PrintWriter err;
        private final ExecutorService pool;
        private final int maxInFlight;
        private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
        private final ThreadLocal<Worker> workers;
        private final Map<String, String> memo;
        private List<String> lines = new ArrayList<>(LINES);

        Batches(ModuleDatabase db, ModprobeConfig config, boolean useBlacklist, int threads, PrintWriter out,
                PrintWriter err) {
            this.db = db;
            this.config = config;
            this.useBlacklist = useBlacklist;
            this.out = out;
            this.err = err;
            this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, Batches::daemonThread) : null;
            this.maxInFlight = 2 * threads;
            this.workers = ThreadLocal.withInitial(Worker::new);
            this.memo = pool == null ? new HashMap<>() : new ConcurrentHashMap<>();
        }

        private static Thread daemonThread(Runnable r) {
            Thread t = new Thread(r, "resolve");
            t.setDaemon(true);
            return t;
        }

        void add(String line) throws InterruptedException {
            lines.add(line);
            if (lines.size() == LINES) {
                submit();
            }
        }

        void finish() throws InterruptedException {
            if (pool == null || inFlight.isEmpty()) {
                write(resolve(lines)); // everything fitted in one batch: no worker needed
            } else {
                submit();
            }
            lines = new ArrayList<>(LINES);
            while (!inFlight.isEmpty()) {
                write(take());
            }
        }

        private void submit() throws InterruptedException {
            List<String> batch = lines;
            lines = new ArrayList<>(LINES);
            if (pool == null) {
                write(resolve(batch));
                return;
            }
            if (inFlight.size() == maxInFlight) {
                write(take());
            }
            inFlight.add(pool.submit(() -> resolve(batch)));
        }

        private Batch take() throws InterruptedException {
            try {
                return inFlight.remove().get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(cause);
            }
        }

        private Batch resolve(List<String> batch) {
            Worker w = workers.get();
            StringBuilder text = new StringBuilder(batch.size() * 64);
            w.errors = new StringBuilder();
            for (String alias : batch) {
                text.append(column(alias)).append('\t').append(w.answers.column(alias)).append('\n');
            }
            return new Batch(text, w.errors);
        }

        private void write(Batch b) {
            if (b.errors().length() > 0) {
                out.flush();
                err.append(b.errors());
                err.flush();
            }
            out.append(b.text());
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }

        private record Batch(CharSequence text, CharSequence errors) {
        }

        /** One worker's resolver and answers; its resolver's messages go to the current batch. */
        private final class Worker {
            StringBuilder errors = new StringBuilder();
            final Answers answers = new Answers(new Resolver(db, config, ModuleState.nothingLoaded(),
                    e -> errors.append("resolve: ERROR: ").append(e).append('\n')), useBlacklist, memo);
        }
    }

    /**
     * This run's answers, remembered per line so that a repeated alias costs one map lookup. A plain
     * map, not the daemon's {@code CachingResolver}: in a process that lives a fraction of a second,
     * Caffeine's set-up (~30 ms) and its bookkeeping on every miss, run cold, cost more than all
     * the lookups of a 6,000-line corpus (docs/PERFORMANCE.md). Bounded: it starts afresh when full.
     */
    static final class Answers {
        static final int MAXIMUM_SIZE = 1 << 16;
        private final Resolver resolver;
        private final boolean useBlacklist;
        private final Map<String, String> memo;

        /** @param memo the remembered answers, shared by every worker of the run */
        Answers(Resolver resolver, boolean useBlacklist, Map<String, String> memo) {
            this.resolver = resolver;
            this.useBlacklist = useBlacklist;
            this.memo = memo;
        }

        String column(String line) {
            String alias = RawText.beforeNul(line); // what kmod's lookup would see
            String column = memo.get(alias);
            if (column == null) {
                List<String> names = resolver.resolve(alias, useBlacklist);
                column = names.isEmpty() ? "-" : ResolveCommand.column(String.join(" ", names));
                if (memo.size() >= MAXIMUM_SIZE) {
                    memo.clear();
                }
                memo.put(alias, column);
            }
            return column;
        }
    }
}
