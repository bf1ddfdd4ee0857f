package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.service.Daemon;
import org.autoprobe.daemon.timeline.TimelineSvg;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe coldplug}: what the daemon does at start, once: announce every device present,
 * load (or with {@code --dry-run} only decide) their drivers, print one line per module:
 * {@code MODULE<TAB>STATUS<TAB>DEVPATH<TAB>MODALIAS}; exit 1 when a load failed. {@code --timeline FILE}
 * also draws it as SVG.
 */
@Command(name = "coldplug", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Load the drivers of the devices present now, once, and print what was (or would be) loaded.")
final class ColdplugCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DaemonRun run;

    @Option(names = {"-v", "--verbose"}, description = "Also print each step (insmod PATH OPTIONS).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Log only warnings and errors.")
    boolean quiet;

    @Option(names = "--write-boot-plan", paramLabel = "FILE",
            description = "Also write what was decided as the daemon's boot plan (its default: "
                    + "/var/lib/autoprobe/boot-plan), for the next boot's daemon to carry out at once if nothing "
                    + "it depends on changes; with --dry-run nothing is loaded (a package's installation does this).")
    java.nio.file.Path writeBootPlan;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Also draw the coldplug as SVG in FILE: a row per device (its event announced and resolved) "
                    + "and per module (its load's start and end, coloured by result, failures marked), times from "
                    + "the process's start.")
    java.nio.file.Path timeline;

    @Override
    public Integer call() {
        DaemonRun.plainLogLines();
        if (quiet && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        Daemon daemon;
        try {
            var options = run.options(err, "autoprobe coldplug", null, false, null, results::add);
            daemon = Daemon.start(writeBootPlan == null ? options : options.withBootPlanWrittenTo(writeBootPlan));
        } catch (IOException e) {
            err.println("autoprobe coldplug: " + e.getMessage());
            return 1;
        }
        daemon.stop();
        boolean drawn = true;
        if (timeline != null) {
            try {
                java.nio.file.Files.writeString(timeline, TimelineSvg.render(daemon.timeline()),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("autoprobe coldplug: cannot write the timeline: " + e);
                drawn = false;
            }
        }
        List<LoadResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((LoadResult r) -> r.request().module()));
        boolean failed = false;
        for (LoadResult r : sorted) {
            String status = run.dryRun && r.status() == LoadResult.Status.LOADED ? "would-load" : r.statusText();
            out.println(r.request().module() + "\t" + status + "\t" + r.request().devpath() + "\t"
                    + (r.request().modalias() == null ? "-" : r.request().modalias()));
            if (verbose) {
                for (String step : r.steps()) {
                    out.println("\t" + step);
                }
            }
            failed |= !r.ok();
        }
        out.flush();
        return failed || !drawn ? 1 : 0;
    }
}
