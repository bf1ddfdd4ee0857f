package org.autoprobe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LinuxKernel;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.sys.NativeModuleSyscalls;
import picocli.CommandLine.Option;

/** Which kernel the module tools talk to: the running one, its /sys and /proc optionally elsewhere (tests). */
final class KernelOptions {
    @Option(names = "--sysroot", hidden = true, paramLabel = "DIR",
            description = "Read DIR/sys and DIR/proc instead of /sys and /proc (test fixtures)")
    Path sysroot;

    SystemRoot root() {
        return sysroot == null ? SystemRoot.host() : SystemRoot.under(sysroot);
    }

    Kernel kernel(PrintWriter err, String tool) {
        return new LinuxKernel(root(), NativeModuleSyscalls.system(), p -> err.println(tool + ": WARNING: " + p));
    }
}
