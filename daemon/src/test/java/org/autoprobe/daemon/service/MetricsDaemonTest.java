package org.autoprobe.daemon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.core.testing.SysTree;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.control.ControlClient;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.testing.PrometheusParser;
import org.autoprobe.daemon.testing.QueueSource;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The daemon's metrics file, its metrics and timeline over the control socket, after a coldplug with a failure. */
class MetricsDaemonTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");
    private static final String NIC = "/devices/pci0000:00/0000:00:03.0";
    private static final String EDAC = "/devices/pci0000:00/0000:00:18.3";
    private static final String NOTHING = "/devices/platform/nothing";

    @TempDir
    Path root;

    private void device(String devpath, String uevent) throws IOException {
        new SysTree(root).device(devpath, uevent);
    }

    private DaemonOptions options(Path control, Path metrics) throws IOException {
        return options(control, metrics, false);
    }

    private DaemonOptions options(Path control, Path metrics, boolean dryRun) throws IOException {
        device(NIC, "MODALIAS=pci:v000010ECd00008139sv0sd0bc02sc00i00\n");
        device(EDAC, "MODALIAS=pci:v00001022d00001463sv0sd0bc06sc00i00\n");
        device(NOTHING, "MODALIAS=platform:nothing-serves-me\n");
        InMemoryDatabase index = new InMemoryDatabase(DIR).module("kernel/8139cp.ko").module("kernel/amd64_edac.ko")
                .alias("pci:v000010ECd00008139sv*", "8139cp").alias("pci:v00001022d00001463sv*", "amd64_edac");
        SharedKernel kernel = new SharedKernel().define(index.file("kernel/8139cp.ko"), "8139cp")
                .define(index.file("kernel/amd64_edac.ko"), "amd64_edac").failInsert("amd64_edac", Errno.ENODEV);
        Path sys = root.resolve("sys");
        GenerationSources sources = new GenerationSources(DIR, List.of(), List.of(), sys, null);
        QueueSource source = new QueueSource();
        org.autoprobe.core.kernel.Kernel used = dryRun ? new org.autoprobe.daemon.load.RecordingKernel(kernel) : kernel;
        return new DaemonOptions(sources, id -> TestGenerations.of(id, index, ModprobeConfig.EMPTY, kernel, sys), used,
                new ShellCommandRunner(), 2, Coldplug.Mode.WALK, control, false, null, Duration.ofSeconds(10),
                Duration.ofSeconds(5), () -> source, r -> { })
                // an hour: the file is written soon after the start and at the stop, not in between
                .withMetrics(metrics, Duration.ofHours(1));
    }

    private static PrometheusParser.Parsed parse(List<String> lines) throws Exception {
        return PrometheusParser.parse(String.join("\n", lines) + "\n");
    }

    @Test
    void countsDecisionsLoadsAndTimesWritesTheFileAndAnswersOverTheSocket() throws Exception {
        Path control = root.resolve("run/control");
        Path metrics = Files.createDirectories(root.resolve("textfile")).resolve("autoprobe.prom");
        Daemon daemon = Daemon.start(options(control, metrics));
        PrometheusParser.Parsed live;
        try {
            ControlClient.Response m = ControlClient.request(control, "metrics");
            assertTrue(m.ok(), m.error());
            live = parse(m.lines());
            assertEquals(1.0, live.value("autoprobe_ready"));
            assertEquals(3.0, live.value("autoprobe_events_total{origin=coldplug}"));
            assertEquals(0.0, live.value("autoprobe_events_total{origin=kernel}"));
            assertEquals(1.0, live.value("autoprobe_loads_total{result=loaded}"));
            assertEquals(1.0, live.value("autoprobe_loads_total{result=failed}"));
            assertEquals(0.0, live.value("autoprobe_loads_total{result=blacklisted}"));
            assertEquals(1.0, live.value("autoprobe_decisions_total{reason=loaded}"));
            assertEquals(1.0, live.value("autoprobe_decisions_total{reason=failed:ENODEV}"));
            assertEquals(1.0, live.value("autoprobe_decisions_total{reason=no-match}"));
            assertEquals(0.0, live.value("autoprobe_decisions_total{reason=blacklisted}"));
            assertEquals(1.0, live.value("autoprobe_load_failures_total{errno=ENODEV}"));
            assertEquals(2.0, live.value("autoprobe_load_duration_seconds_count"));
            assertEquals(2.0, live.value("autoprobe_load_duration_seconds_bucket{le=+Inf}"));
            assertEquals(0.0, live.value("autoprobe_socket_dropped_total{reason=spoofed}"));
            assertEquals(0.0, live.value("autoprobe_socket_overflows_total"));
            assertEquals(0.0, live.value("autoprobe_resyncs_total"));
            assertEquals(1.0, live.value("autoprobe_generation"));
            assertEquals("histogram", live.families().get("autoprobe_load_duration_seconds").type());

            // the file: written soon after the start (waited for, whatever the machine's speed)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(metrics) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(metrics), "no metrics file after a minute");
            PrometheusParser.parse(Files.readString(metrics));

            ControlClient.Response t = ControlClient.request(control, "timeline");
            assertTrue(t.ok(), t.error());
            Document svg = svg(String.join("\n", t.lines()) + "\n");
            assertEquals(List.of(NIC, EDAC, NOTHING).stream().sorted().toList(),
                    attributes(svg, "device", "data-devpath").stream().sorted().toList());
            assertEquals(List.of("8139cp loaded", "amd64_edac failed: ENODEV"),
                    groups(svg, "load").stream().map(g -> g.getAttribute("data-module") + " " + g.getAttribute("data-status"))
                            .sorted().toList());
            assertEquals(1, groups(svg, "process-start").size(), "the start's coldplug counts from the process's start");
        } finally {
            daemon.stop();
        }
        // the last write, at the stop: the same counts, and the file as node_exporter wants it
        String text = Files.readString(metrics);
        PrometheusParser.Parsed last = PrometheusParser.parse(text);
        for (String sample : List.of("autoprobe_loads_total{result=loaded}", "autoprobe_loads_total{result=failed}",
                "autoprobe_decisions_total{reason=no-match}", "autoprobe_load_duration_seconds_count",
                "autoprobe_events_total{origin=coldplug}")) {
            assertEquals(live.value(sample), last.value(sample), sample);
        }
        assertEquals(0.0, last.value("autoprobe_ready"), "written while stopping");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(metrics)));
        try (var files = Files.list(metrics.getParent())) {
            assertEquals(List.of(metrics), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aDryRunCountsWhatItWouldLoadNotLoaded() throws Exception {
        Daemon daemon = Daemon.start(options(null, null, true));
        try {
            assertEquals(Daemon.State.READY, daemon.state());
            String text = daemon.metricsText();
            assertTrue(text.contains("autoprobe_loads_total{result=\"would-load\"} 2"), text);
            assertFalse(text.contains("result=\"loaded\""), text);
        } finally {
            daemon.stop();
        }
    }

    @Test
    void aMetricsFileThatCannotBeWrittenDoesNotStopTheDaemon() throws Exception {
        Path notADirectory = root.resolve("file");
        Files.writeString(notADirectory, "x");
        Daemon daemon = Daemon.start(options(null, notADirectory.resolve("autoprobe.prom")));
        try {
            assertEquals(Daemon.State.READY, daemon.state());
            assertTrue(daemon.metricsText().contains("autoprobe_loads_total{result=\"loaded\"} 1"));
        } finally {
            daemon.stop();
        }
        assertEquals(Daemon.State.STOPPED, daemon.state());
    }

    private static Document svg(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> groups(Document d, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element e = (Element) gs.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> attributes(Document d, String cls, String attribute) {
        return groups(d, cls).stream().map(e -> e.getAttribute(attribute)).toList();
    }
}
