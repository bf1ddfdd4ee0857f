package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoprobe.core.testing.SysTree;
import org.autoprobe.core.testing.TrieBytes;
import org.autoprobe.daemon.control.ControlException;
import org.autoprobe.daemon.control.ControlServer;
import org.autoprobe.daemon.sys.UnixStreamListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autoprobe coldplug} over a fixture sysfs and module tree, and {@code autoprobe status} against a control socket. */
class DaemonCommandsTest {
    @TempDir
    Path tmp;
    Path sys;
    Path root;
    Path conf;
    Path rules;

    private CliRun run(String... args) {
        return CliRun.main(args);
    }

    private void device(String devpath, String uevent) throws IOException {
        new SysTree(tmp).device(devpath, uevent);
    }

    @BeforeEach
    void tree() throws IOException {
        sys = tmp.resolve("sys");
        root = tmp.resolve("root");
        conf = Files.createDirectories(tmp.resolve("modprobe.d"));
        rules = Files.createDirectories(tmp.resolve("rules.d"));
        Files.createDirectories(sys.resolve("module"));
        device("/devices/pci0000:00/0000:00:03.0", "MODALIAS=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/pci0000:00/0000:00:04.0", "MODALIAS=pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/pci0000:00/0000:00:05.0", "MODALIAS=pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\n");
        device("/devices/platform/nothing", "MODALIAS=platform:nothing-serves-me\n");
        Path mods = Files.createDirectories(root.resolve("lib/modules/1.0"));
        TrieBytes.write(mods.resolve("modules.dep.bin"), "e1000", "kernel/e1000.ko:", "8139cp", "kernel/8139cp.ko: kernel/mii.ko",
                "mii", "kernel/mii.ko:", "8139too", "kernel/8139too.ko: kernel/mii.ko");
        TrieBytes.write(mods.resolve("modules.alias.bin"), "pci:v00008086d0000100Esv*sd*bc*sc*i*", "e1000",
                "pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139cp", "pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too");
        TrieBytes.write(mods.resolve("modules.symbols.bin"));
        TrieBytes.write(mods.resolve("modules.builtin.bin"));
        Files.writeString(conf.resolve("local.conf"), "blacklist 8139too\n");
    }

    @Test
    void coldplugDryRunPrintsWhatWouldLoadOncePerModule() {
        CliRun r = run("coldplug", "--dry-run", "-v", "-q", "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "--sys", sys.toString(), "--rules-dir", rules.toString());
        assertEquals(0, r.code(), r.err());
        String dir = root.resolve("lib/modules/1.0").toString();
        assertEquals("8139cp\twould-load\t/devices/pci0000:00/0000:00:04.0\tpci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00\n"
                + "\tinsmod " + dir + "/kernel/mii.ko \n"
                + "\tinsmod " + dir + "/kernel/8139cp.ko \n"
                + "e1000\twould-load\t/devices/pci0000:00/0000:00:03.0\tpci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n"
                + "\tinsmod " + dir + "/kernel/e1000.ko \n", r.out());
    }

    @Test
    void coldplugDryRunWritesTheFirstBootsPlanWithoutLoading() throws Exception {
        Path plan = tmp.resolve("state/boot-plan");
        CliRun r = run("coldplug", "--dry-run", "-q", "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "--sys", sys.toString(), "--rules-dir", rules.toString(), "--write-boot-plan", plan.toString());
        assertEquals(0, r.code(), r.err());
        org.autoprobe.daemon.bootplan.BootPlan p = org.autoprobe.daemon.bootplan.BootPlanFile.read(plan);
        assertEquals(java.util.Set.of("/devices/pci0000:00/0000:00:03.0", "/devices/pci0000:00/0000:00:04.0",
                "/devices/pci0000:00/0000:00:05.0"), p.devices().keySet(), "the devices that want a module");
        assertEquals(List.of("8139cp"), p.devices().get("/devices/pci0000:00/0000:00:05.0").wants(),
                "8139too is blacklisted: not in the plan");
        assertEquals(List.of("mii"), p.modules().get("8139cp").after());
        assertEquals(java.util.Set.of("e1000", "8139cp", "mii"), p.modules().keySet());
    }

    @Test
    void coldplugDrawsItsTimeline() throws Exception {
        Path svg = tmp.resolve("t.svg");
        CliRun r = run("coldplug", "--dry-run", "-q", "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "--sys", sys.toString(), "--rules-dir", rules.toString(), "--timeline", svg.toString());
        assertEquals(0, r.code(), r.err());
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document d = f.newDocumentBuilder().parse(svg.toFile());
        List<String> devices = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        org.w3c.dom.NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < gs.getLength(); i++) {
            org.w3c.dom.Element g = (org.w3c.dom.Element) gs.item(i);
            if (g.getAttribute("class").equals("device")) {
                devices.add(g.getAttribute("data-devpath"));
            } else if (g.getAttribute("class").equals("load")) {
                loads.add(g.getAttribute("data-module") + " " + g.getAttribute("data-status"));
            }
        }
        assertEquals(List.of("/devices/pci0000:00/0000:00:03.0", "/devices/pci0000:00/0000:00:04.0",
                "/devices/pci0000:00/0000:00:05.0", "/devices/platform/nothing"), devices.stream().sorted().toList());
        assertEquals(List.of("8139cp would-load", "e1000 would-load"), loads.stream().sorted().toList());
        CliRun unwritable = run("coldplug", "--dry-run", "-q", "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "--sys", sys.toString(), "--rules-dir", rules.toString(), "--timeline", tmp.resolve("none/t.svg").toString());
        assertEquals(1, unwritable.code());
        assertTrue(unwritable.err().contains("cannot write the timeline"), unwritable.err());
    }

    @Test
    void statusAsksForMetricsAndTheTimeline() throws IOException {
        Path socket = tmp.resolve("control");
        List<String> asked = new ArrayList<>();
        try (ControlServer server = ControlServer.open(socket, req -> {
            synchronized (asked) {
                asked.add(req.command() + (req.args().isEmpty() ? "" : " " + String.join(" ", req.args())));
            }
            return switch (req.command()) {
                case "metrics" -> List.of("# HELP autoprobe_resyncs_total Walks.", "# TYPE autoprobe_resyncs_total counter",
                        "autoprobe_resyncs_total 0.0");
                case "timeline" -> List.of("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<svg/>");
                default -> List.of("state=ready");
            };
        })) {
            CliRun prom = run("status", "--control", server.path().toString(), "--format", "prometheus");
            assertEquals(0, prom.code(), prom.err());
            assertEquals("# HELP autoprobe_resyncs_total Walks.\n# TYPE autoprobe_resyncs_total counter\n"
                    + "autoprobe_resyncs_total 0.0\n", prom.out());
            Path svg = tmp.resolve("t.svg");
            CliRun timeline = run("status", "--control", socket.toString(), "--timeline", svg.toString());
            assertEquals(0, timeline.code(), timeline.err());
            assertEquals("", timeline.out());
            assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>\n", Files.readString(svg));
            CliRun printed = run("status", "--control", socket.toString(), "timeline");
            assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>\n", printed.out());
            assertEquals(0, run("status", "--control", socket.toString(), "--format", "text").code());
            assertEquals(2, run("status", "--control", socket.toString(), "--format", "json").code());
            assertEquals(2, run("status", "--control", socket.toString(), "--format", "prometheus", "explain", "/x").code());
            assertEquals(2, run("status", "--control", socket.toString(), "--timeline", svg.toString(), "reload").code());
        }
        assertEquals(List.of("metrics", "timeline", "timeline", "status"), asked);
    }

    @Test
    void coldplugDryRunNeverRunsAnInstallCommand() throws IOException {
        Path pwned = tmp.resolve("PWNED");
        Files.writeString(conf.resolve("install.conf"), "install e1000 /bin/touch " + pwned + "\n");
        CliRun r = run("coldplug", "--dry-run", "-v", "-q", "-d", root.toString(), "-S", "1.0", "-C", conf.toString(),
                "--sys", sys.toString(), "--rules-dir", rules.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(pwned), "a dry run ran the install command");
        assertTrue(r.out().contains("e1000\twould-load\t/devices/pci0000:00/0000:00:03.0\t"), r.out());
        assertTrue(r.out().contains("\tinstall /bin/touch " + pwned), r.out());
    }

    /**
     * {@code autoprobe daemon} with a plain command line starts without picocli
     * ({@link DaemonCommand#fastPath}): in a JVM of its own, whose class loading is logged, no
     * {@code picocli.} class (nor java.sql, which picocli's converters load) is loaded before the
     * daemon is ready, and SIGTERM still stops it cleanly.
     */
    @Test
    void daemonStartsWithoutLoadingPicocli() throws Exception {
        Path log = tmp.resolve("classes.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName(), "daemon", "--dry-run", "--no-control", "--no-watch", "--sys", sys.toString(),
                "-d", root.toString(), "-S", "1.0", "-C", conf.toString(), "--rules-dir", rules.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("NOTIFY_SOCKET");
        Process p = pb.start();
        List<String> errLines = new ArrayList<>();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (errLines) {
                        errLines.add(line);
                    }
                    if (line.contains("ready:")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        int code;
        try {
            assertTrue(ready.get(120, TimeUnit.SECONDS), "the daemon ended before it was ready: " + errLines);
        } finally {
            p.destroy(); // SIGTERM
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            code = p.exitValue();
        }
        assertEquals(0, code, "exit code after SIGTERM; stderr: " + errLines);
        List<String> loaded = new ArrayList<>();
        Matcher m = Pattern.compile("\\] (\\S+) source: ").matcher("");
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (m.reset(line).find()) {
                loaded.add(m.group(1));
            }
        }
        assertTrue(loaded.contains(DaemonCommand.class.getName()), "no DaemonCommand in the class log " + log);
        assertTrue(loaded.contains("org.autoprobe.daemon.service.Daemon"), "the daemon did not start");
        assertEquals(List.of(), loaded.stream().filter(c -> c.startsWith("picocli.") || c.startsWith("java.sql.")).toList());
        // without --metrics-file nothing of the Prometheus text format is loaded (with it, only at the first write)
        assertEquals(List.of(), loaded.stream().filter(c -> c.startsWith("io.prometheus.")).toList());
    }

    @Test
    void statusAsksTheControlSocket() throws IOException {
        Path socket = tmp.resolve("control");
        try (ControlServer server = ControlServer.open(socket, req -> {
            if (req.command().equals("explain")) {
                throw new ControlException("no device " + req.args().get(0));
            }
            return List.of("state=ready", "asked=" + req.command());
        })) {
            CliRun ok = run("status", "--control", server.path().toString());
            assertEquals(0, ok.code());
            assertEquals("state=ready\nasked=status\n", ok.out());
            CliRun bad = run("status", "--control", socket.toString(), "explain", "/devices/x");
            assertEquals(1, bad.code());
            assertEquals("autoprobe status: no device /devices/x\n", bad.err());
        }
        CliRun none = run("status", "--control", socket.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("is the autoprobe daemon running?"), none.err());
        try (UnixStreamListener mute = UnixStreamListener.bind(socket.toString(), 4)) {
            long t0 = System.nanoTime();
            CliRun hung = run("status", "--control", socket.toString(), "--timeout", "0.3");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, hung.code());
            assertEquals("autoprobe status: no answer from the autoprobe daemon on " + mute.path() + " within 300 ms\n", hung.err());
            assertTrue(millis < 5000, millis + " ms");
        }
        assertEquals(2, run("status", "--control", socket.toString(), "--timeout", "0").code());
    }
}
