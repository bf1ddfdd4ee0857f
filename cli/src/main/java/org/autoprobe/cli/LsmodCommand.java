package org.autoprobe.cli;

import java.util.concurrent.Callable;

import org.autoprobe.core.tools.Lsmod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code autoprobe lsmod}: kmod 30's lsmod, same layout. */
@Command(name = "lsmod", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List the loaded modules (kmod-compatible).")
final class LsmodCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernelOptions;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        return ToolOutput.print(new Lsmod(kernelOptions.kernel(err, "lsmod")).run(), out, err);
    }
}
