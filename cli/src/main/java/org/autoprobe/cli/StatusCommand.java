package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.daemon.control.ControlClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe status [REQUEST...]}: asks the running daemon over its control socket; by
 * default its status and counters. Other requests: {@code resolve ALIAS...}, {@code explain
 * DEVPATH}, and for root {@code reload}, {@code coldplug}.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Ask the running daemon: status (default), resolve ALIAS..., explain DEVPATH|MODALIAS|MODULE, reload, coldplug.")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--control", paramLabel = "PATH", description = "Control socket (default: ${DEFAULT-VALUE}).")
    Path control = ControlClient.DEFAULT_SOCKET;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up when the daemon has not answered within this many seconds (default: ${DEFAULT-VALUE}).")
    double timeout = ControlClient.DEFAULT_TIMEOUT.toSeconds();

    @Parameters(paramLabel = "REQUEST", arity = "0..*", description = "The request words (default: status).")
    List<String> request = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String line = request.isEmpty() ? "status" : String.join(" ", request);
        if (!(timeout > 0) || timeout > 86_400) {
            err.println("autoprobe status: --timeout must be more than 0 and at most 86400 seconds: " + timeout);
            return 2;
        }
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            err.println("autoprobe status: a request is one line");
            return 2;
        }
        try {
            ControlClient.Response r = ControlClient.request(control, line, Duration.ofMillis(Math.max(1, Math.round(timeout * 1000))));
            r.lines().forEach(out::println);
            out.flush();
            if (!r.ok()) {
                err.println("autoprobe status: " + r.error());
                return 1;
            }
            return 0;
        } catch (IOException e) {
            err.println("autoprobe status: " + e.getMessage());
            return 1;
        }
    }
}
