package org.autoprobe.core.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.text.RawText;

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
 *
 * <p>Its output streams (a stream of any length runs in bounded memory), so it writes to the
 * caller's writers as it goes rather than returning a {@code ToolResult}; its messages are kmod's
 * {@code resolve: LEVEL: message} lines on the error writer.
 */
public final class Resolve {
    /** How many lines a worker resolves at a time. */
    public static final int BATCH_LINES = 512;

    /**
     * The options, parsed.
     *
     * @param aliases      the aliases; {@code -} reads one per line from standard input
     * @param useBlacklist {@code -b}: leave out blacklisted modules
     * @param threads      worker threads, at least 1
     */
    public record Options(List<String> aliases, boolean useBlacklist, int threads) {
        public Options {
            aliases = List.copyOf(aliases);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
        }
    }

    private final Path moduleDirectory;
    private final Supplier<ModprobeConfig> config;
    private final Supplier<ModuleDatabase> database;

    /**
     * @param moduleDirectory the module directory (a FATAL error when it is not there, as for kmod's
     *                        {@code modprobe -R})
     * @param config          modprobe.d, parsed; asked for once the directory is known to be there
     * @param database        the directory's indexes, asked for after the configuration
     */
    public Resolve(Path moduleDirectory, Supplier<ModprobeConfig> config, Supplier<ModuleDatabase> database) {
        this.moduleDirectory = Objects.requireNonNull(moduleDirectory, "moduleDirectory");
        this.config = Objects.requireNonNull(config, "config");
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Resolves every alias (and {@code in}'s lines for {@code -}), printing to {@code out}; returns the exit code. */
    public int run(Options options, InputStream in, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        if (!Files.isDirectory(moduleDirectory)) {
            // as kmod's modprobe -R, which finds nothing in a tree that is not there: FATAL, exit 1
            String name = firstLookup(options.aliases(), in);
            err.println(name == null ? message(ToolLog.LOG_CRIT, "module directory " + moduleDirectory + " not found")
                    : message(ToolLog.LOG_CRIT, "Module " + name + " not found in directory " + moduleDirectory));
            err.flush();
            return 1;
        }
        ModprobeConfig conf = config.get();
        ModuleDatabase db = database.get();
        Batches batches = new Batches(db, conf, options.useBlacklist(), options.threads(), out, err);
        try {
            for (String a : options.aliases()) {
                if (a.equals("-")) {
                    readLines(in, batches);
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

    private static String message(int priority, String text) {
        return "resolve: " + ToolLog.level(priority) + ": " + text;
    }

    /**
     * The first lookup a run would make, as kmod would see it (up to its first NUL): the first
     * alias argument, or for {@code -} the first line of {@code in} (read up to its {@code \n}, or
     * to the end); null when there is none.
     */
    static String firstLookup(List<String> aliases, InputStream in) throws IOException {
        for (String a : aliases) {
            if (!a.equals("-")) {
                return RawText.beforeNul(a);
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
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
            line = Arrays.copyOf(line, Math.max(len + add, line.length * 2));
        }
        System.arraycopy(buf, from, line, len, add);
        return line;
    }

    /** {@code s} with NUL, CR and TAB written as {@code \0}, {@code \r}, {@code \t}: one column of one line. */
    public static String column(String s) {
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
     * Lines resolved in batches, by as many workers as there are processors, printed in input order.
     * Each worker has its own {@link Resolver} (whose error messages go with the batch that caused
     * them, so stderr keeps input order too); the answers remembered are shared. At most two batches
     * per worker are in flight, so a stream of any length runs in bounded memory.
     */
    static final class Batches implements AutoCloseable {
        static final int LINES = BATCH_LINES;
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
                    e -> errors.append(message(ToolLog.LOG_ERR, e)).append('\n')), useBlacklist, memo);
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
                column = names.isEmpty() ? "-" : Resolve.column(String.join(" ", names));
                if (memo.size() >= MAXIMUM_SIZE) {
                    memo.clear();
                }
                memo.put(alias, column);
            }
            return column;
        }
    }
}
