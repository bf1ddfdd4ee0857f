package org.autoprobe.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.resolve.Modprobe;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.rules.modprobe.ConfigDump;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe modprobe}: kmod 30's modprobe for the modes that decide and print:
 * {@code --show-depends}, {@code -R}, {@code -c} and {@code -n}.
 */
@Command(name = "modprobe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Show what modprobe would load for a module or alias (kmod-compatible).")
public final class ModprobeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = {"-a", "--all"}, description = "Consider every argument a module name or alias.")
    boolean all;

    @Option(names = {"-R", "--resolve-alias"}, description = "Only print the modules an alias resolves to.")
    boolean resolveAlias;

    @Option(names = {"-D", "--show-depends"}, description = "Print the dependencies and what would be inserted.")
    boolean showDepends;

    @Option(names = {"-c", "--showconfig", "--show-config"}, description = "Print the effective configuration and indexes.")
    boolean showConfig;

    @Option(names = {"-n", "--dry-run", "--show"}, description = "Do everything but insert or remove.")
    boolean dryRun;

    @Option(names = {"-i", "--ignore-install", "--ignore-remove"}, description = "Ignore install and remove commands.")
    boolean ignoreInstall;

    @Option(names = {"-b", "--use-blacklist"}, description = "Apply the blacklist to module names too.")
    boolean useBlacklist;

    @Option(names = "--first-time", description = "Fail if the module is already loaded.")
    boolean firstTime;

    @Option(names = {"-q", "--quiet"}, description = "Do not print error messages.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print what is done (repeat for more).")
    boolean[] verbose = new boolean[0];

    @Parameters(paramLabel = "MODULE", description = "A module name or alias, then module parameters (with -a: several names).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (showConfig) {
            return showConfig(out, err);
        }
        if (!resolveAlias && !showDepends && !dryRun) {
            err.println("modprobe: ERROR: inserting modules is not part of this build yet;"
                    + " use --show-depends, -R, -n or -c to see what would be loaded");
            return 1;
        }
        Resolver resolver = tree.resolver(err, "modprobe", false, new SysfsModuleState(Path.of("/sys")));
        Modprobe.Result r = new Modprobe(resolver).run(new Modprobe.Request(args, all, resolveAlias, showDepends,
                dryRun, verbose.length, quiet, ignoreInstall, useBlacklist, firstTime));
        r.stdout().forEach(out::println);
        out.flush();
        r.stderr().forEach(err::println);
        return r.exitCode();
    }

    private int showConfig(PrintWriter out, PrintWriter err) throws IOException {
        ModprobeConfig config = tree.config(err, "modprobe");
        ConfigDump.write(config, out);
        ModuleDatabase db = tree.database(false);
        if (db instanceof BinModuleDatabase bin) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            for (ModuleDatabase.Index index : List.of(ModuleDatabase.Index.ALIAS, ModuleDatabase.Index.SYMBOL)) {
                var trie = bin.trie(index);
                if (trie.isPresent()) {
                    trie.get().dump(bytes, "alias ");
                }
            }
            out.write(bytes.toString(StandardCharsets.ISO_8859_1));
        }
        out.flush();
        return 0;
    }
}
