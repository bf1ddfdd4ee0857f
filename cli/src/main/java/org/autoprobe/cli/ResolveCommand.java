package org.autoprobe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        Resolver resolver = tree.resolver(err, "resolve", true, ModuleState.nothingLoaded());
        StringBuilder line = new StringBuilder(256);
        for (String a : aliases) {
            if (a.equals("-")) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
                for (String s = in.readLine(); s != null; s = in.readLine()) {
                    emit(resolver, s, line, out);
                }
            } else {
                emit(resolver, a, line, out);
            }
        }
        out.flush();
        return 0;
    }

    private void emit(Resolver resolver, String alias, StringBuilder line, PrintWriter out) {
        line.setLength(0);
        line.append(resolver.resolveLine(alias, useBlacklist)).append('\n');
        out.append(line);
    }
}
