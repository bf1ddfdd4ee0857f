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
 * default its status and counters. Other requests: {@code metrics} ({@code --format prometheus}),
 * {@code timeline} (SVG; {@code --timeline FILE} writes it to a file), {@code resolve ALIAS...},
 * {@code explain DEVPATH}, and for root {@code reload}, {@code coldplug}.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Ask the running daemon: status (default), metrics, timeline, resolve ALIAS..., explain DEVPATH|MODALIAS|MODULE, "
                + "reload, coldplug.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--control", paramLabel = "PATH", description = "Control socket (default: ${DEFAULT-VALUE}).")
    Path control = ControlClient.DEFAULT_SOCKET;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up when the daemon has not answered within this many seconds (default: ${DEFAULT-VALUE}).")
    double timeout = ControlClient.DEFAULT_TIMEOUT.toSeconds();

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "'text' (default: the daemon's key=value lines) or 'prometheus' (its counters and load time "
                    + "histogram in the Prometheus text format, as its --metrics-file holds them).")
    String format = "text";

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Write the daemon's last coldplug (its start's, or the last one asked for) as SVG to FILE "
                    + "(the request 'timeline' prints it instead).")
    Path timeline;

    @Parameters(paramLabel = "REQUEST", arity = "0..*", description = "The request words (default: status).")
    List<String> request = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String line = request.isEmpty() ? "status" : String.join(" ", request);
        if (!format.equals("text") && !format.equals("prometheus")) {
            err.println("autoprobe status: --format: 'text' or 'prometheus', not '" + format + "'");
            return 2;
        }
        if (format.equals("prometheus") || timeline != null) {
            if (!line.equals("status") || (format.equals("prometheus") && timeline != null)) {
                err.println("autoprobe status: " + (timeline != null ? "--timeline" : "--format prometheus")
                        + " takes no request" + (timeline != null && format.equals("prometheus") ? " and no --format prometheus" : ""));
                return 2;
            }
            line = timeline != null ? "timeline" : "metrics";
        }
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
            if (timeline != null && r.ok()) {
                java.nio.file.Files.writeString(timeline, String.join("\n", r.lines()) + "\n",
                        java.nio.charset.StandardCharsets.UTF_8);
            } else {
                r.lines().forEach(out::println);
            }
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
