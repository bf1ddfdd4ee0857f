package org.autoprobe.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.tools.Rmmod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoprobe rmmod [-f] [-v] NAME...}: kmod 30's rmmod. */
@Command(name = "rmmod", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Remove modules from the kernel (kmod-compatible).")
final class RmmodCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = {"-f", "--force"}, description = "Force the removal (O_TRUNC); may crash your machine.")
    boolean force;

    @Option(names = {"-s", "--syslog"}, hidden = true, description = "Accepted for compatibility; messages go to stderr.")
    boolean syslog;

    @Option(names = {"-v", "--verbose"}, description = "Print more messages.")
    boolean[] verbose = new boolean[0];

    @Parameters(paramLabel = "MODULE", description = "Module names (or module files).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        return ToolOutput.print(new Rmmod(kernelOptions.kernel(err, "rmmod"), builtinIndex())
                .run(args, force, verbose.length), out, err);
    }

    /** modules.builtin of the running kernel, as kmod consults it; nothing is builtin when it cannot be read. */
    private static Predicate<String> builtinIndex() {
        ModuleDatabase db = BinModuleDatabase.open(new ModuleTreeOptions().moduleDirectory());
        return name -> db.lookup(ModuleDatabase.Index.BUILTIN, name).isPresent();
    }
}
