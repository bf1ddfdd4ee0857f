package org.autoprobe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe resolve}: batch alias queries. One output line per alias: the alias, a tab, and
 * the modules it resolves to (each once, in kmod's order, space separated) or {@code -}.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Resolve aliases (e.g. MODALIAS strings) to module names, one line each.")
public final class ResolveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = {"-b", "--use-blacklist"}, description = "Leave out blacklisted modules.")
    boolean useBlacklist;

    @Parameters(paramLabel = "ALIAS", arity = "1..*", description = "Aliases to resolve; '-' reads one per line from standard input.")
    List<String> aliases = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Answers resolver = new Answers(tree.resolver(err, "resolve", ModuleState.nothingLoaded()), useBlacklist);
        StringBuilder pending = new StringBuilder(CHUNK + 512);
        for (String a : aliases) {
            if (a.equals("-")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
                for (String s = in.readLine(); s != null; s = in.readLine()) {
                    emit(resolver, s, pending, out);
                }
            } else {
                emit(resolver, a, pending, out);
            }
        }
        out.append(pending);
        out.flush();
        return 0;
    }

    /** Output is handed to the writer in chunks of about this many chars. */
    private static final int CHUNK = 1 << 14;

    private static void emit(Answers resolver, String alias, StringBuilder pending, PrintWriter out) {
        pending.append(alias).append('\t').append(resolver.column(alias)).append('\n');
        if (pending.length() >= CHUNK) {
            out.append(pending);
            pending.setLength(0);
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
        private final HashMap<String, String> memo = new HashMap<>();

        Answers(Resolver resolver, boolean useBlacklist) {
            this.resolver = resolver;
            this.useBlacklist = useBlacklist;
        }

        String column(String alias) {
            String column = memo.get(alias);
            if (column == null) {
                List<String> names = resolver.resolve(alias, useBlacklist);
                column = names.isEmpty() ? "-" : String.join(" ", names);
                if (memo.size() >= MAXIMUM_SIZE) {
                    memo.clear();
                }
                memo.put(alias, column);
            }
            return column;
        }
    }
}
