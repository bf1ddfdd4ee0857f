package org.autoprobe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.core.resolve.CachingResolver;
import org.autoprobe.core.resolve.ModuleState;

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
        // Answers are cached whole: the database below is read uncached (its keys would be the same lines).
        CachingResolver resolver = CachingResolver.wrap(tree.resolver(err, "resolve", ModuleState.nothingLoaded()));
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

    private void emit(CachingResolver resolver, String alias, StringBuilder pending, PrintWriter out) {
        pending.append(alias).append('\t').append(resolver.column(alias, useBlacklist)).append('\n');
        if (pending.length() >= CHUNK) {
            out.append(pending);
            pending.setLength(0);
        }
    }
}
