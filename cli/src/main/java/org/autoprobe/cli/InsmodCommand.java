package org.autoprobe.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.tools.Insmod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code autoprobe insmod [-f] FILE [param=value...]}: kmod 30's insmod. */
@Command(name = "insmod", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Insert a module file into the kernel (kmod-compatible).")
final class InsmodCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernelOptions;

    @Option(names = {"-f", "--force"}, description = "Ignore symbol versions and the version magic.")
    boolean force;

    @Option(names = {"-p", "-s"}, hidden = true, description = "Ignored, for compatibility.")
    boolean ignored;

    @Parameters(paramLabel = "FILE", description = "The module file, then its parameters.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        return ToolOutput.print(new Insmod(kernelOptions.kernel(err, "insmod"))
                .run(args, force ? InsertFlags.FORCE : InsertFlags.NONE), out, err);
    }
}
