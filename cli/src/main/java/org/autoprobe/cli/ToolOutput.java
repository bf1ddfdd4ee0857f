package org.autoprobe.cli;

import java.io.PrintWriter;

import org.autoprobe.core.load.ToolResult;

/** Prints a tool's result: standard output first, then standard error, as kmod's unbuffered stderr interleaves only with -v. */
final class ToolOutput {
    private ToolOutput() {
    }

    static int print(ToolResult r, PrintWriter out, PrintWriter err) {
        r.stdout().forEach(out::println);
        out.flush();
        r.stderr().forEach(err::println);
        err.flush();
        return r.exitCode();
    }
}
