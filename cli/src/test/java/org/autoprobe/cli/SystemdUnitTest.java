package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.service.DaemonOptions;
import org.autoprobe.daemon.service.Signals;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * packaging/systemd/autoprobe.service against the code it starts: the command it runs exists and
 * parses, the signals it sends are the ones the daemon handles, its time limits cover the
 * daemon's own waits, and the JVM accepts the options it sets.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "packaging", "systemd", "autoprobe.service");
    private static Map<String, Map<String, List<String>>> unit;

    @BeforeAll
    static void read() throws IOException {
        unit = parse(Files.readAllLines(UNIT, StandardCharsets.UTF_8));
    }

    /** The unit file's sections, each key's values in file order (a key may repeat). */
    static Map<String, Map<String, List<String>>> parse(List<String> lines) {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0 || line.endsWith("\\")) {
                throw new IllegalArgumentException(UNIT + ":" + (i + 1) + ": not a KEY=VALUE line in a section: " + line);
            }
            current.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return sections;
    }

    private static String service(String key) {
        List<String> values = unit.getOrDefault("Service", Map.of()).get(key);
        assertNotNull(values, "[Service] has no " + key + "=");
        assertEquals(1, values.size(), key + "= given more than once");
        return values.get(0);
    }

    /** Words of a command line or an Environment= value, with systemd's double quotes. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(s);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    /** A systemd time span: {@code 45s}, {@code 5min}, {@code 1min 30s}, {@code 90} (seconds). */
    static Duration timeSpan(String s) {
        Duration d = Duration.ZERO;
        Matcher m = Pattern.compile("\\s*(\\d+)\\s*(ms|s|sec|min|m|h)?").matcher(s);
        int end = 0;
        while (m.lookingAt()) {
            long n = Long.parseLong(m.group(1));
            String u = m.group(2) == null ? "s" : m.group(2);
            d = d.plus(switch (u) {
                case "ms" -> Duration.ofMillis(n);
                case "min", "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
            m.region(end, s.length());
        }
        assertEquals(s.length(), end, "not a time span this test reads: " + s);
        return d;
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String value : unit.get("Service").getOrDefault("Environment", List.of())) {
            for (String assignment : words(value)) {
                int eq = assignment.indexOf('=');
                assertTrue(eq > 0, "not NAME=VALUE in Environment=: " + assignment);
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
            }
        }
        return env;
    }

    private static Path runtimeDirectory() {
        String name = service("RuntimeDirectory");
        assertFalse(name.contains("/") || name.contains(" "), "one plain RuntimeDirectory= expected: " + name);
        return Path.of("/run", name);
    }

    private static List<String> execStart() {
        List<String> argv = words(service("ExecStart"));
        assertTrue(argv.size() >= 2 && argv.get(0).startsWith("/"), "ExecStart= needs an absolute launcher and a subcommand: " + argv);
        assertEquals("autoprobe", Path.of(argv.get(0)).getFileName().toString());
        return argv;
    }

    private static DaemonCommand daemonCommand() {
        List<String> argv = execStart();
        CommandLine cl = Main.commandLine();
        ParseResult parsed = cl.parseArgs(argv.subList(1, argv.size()).toArray(new String[0]));
        assertTrue(parsed.hasSubcommand(), "ExecStart= names no subcommand: " + argv);
        return assertInstanceOf(DaemonCommand.class, parsed.subcommand().commandSpec().userObject(),
                "ExecStart= runs " + argv.get(1) + ", not the daemon");
    }

    @Test
    void startsTheDaemonSubcommandAsANotifyService() {
        assertEquals("notify", service("Type"), "the daemon sends READY=1 as it starts and STATUS= as coldplug goes");
        List<String> argv = execStart();
        assertTrue(Main.commandLine().getSubcommands().containsKey(argv.get(1)), "no subcommand " + argv.get(1));
        assertEquals("daemon", argv.get(1));
        assertEquals("main", service("NotifyAccess"), "the JVM is the main process (the launcher execs it)");
    }

    @Test
    void theUnitsCommandLineTakesTheFastPathWithoutPicocli() {
        List<String> argv = execStart();
        DaemonCommand fast = DaemonCommand.fastPath(argv.subList(1, argv.size()).toArray(new String[0]));
        assertNotNull(fast, "ExecStart= " + argv + " would build picocli's model at every boot (DaemonCommand.fastPath)");
        assertEquals(daemonCommand().control, fast.control);
        assertEquals(daemonCommand().notifyReady, fast.notifyReady);
    }

    @Test
    void theDaemonTakesTheUnitsOptionsAndItsWaitsFitTheUnitsTimeouts() {
        DaemonCommand d = daemonCommand();
        assertFalse(d.noControl, "the unit's control socket lives in its RuntimeDirectory");
        assertTrue(d.control.isAbsolute() && d.control.startsWith(runtimeDirectory()),
                "control socket " + d.control + " is not in " + runtimeDirectory() + ", which systemd creates");
        DaemonOptions o = d.run.options(new PrintWriter(Writer.nullWriter()), "test", d.control, !d.noWatch,
                "/run/systemd/notify", r -> { });
        // a stop waits for the socket thread, the ring and the running loads, each up to stopWait
        Duration stopBudget = o.stopWait().multipliedBy(3).plusSeconds(5);
        assertTrue(timeSpan(service("TimeoutStopSec")).compareTo(stopBudget) >= 0,
                "TimeoutStopSec=" + service("TimeoutStopSec") + " would kill a stop that is still within its waits (" + stopBudget + ")");
        // as systemd-udevd, the unit is ready as the daemon starts: the boot does not wait for coldplug
        assertTrue(DaemonCommand.readyAtStart(d.notifyReady), "the unit's daemon would hold the boot until coldplug settled: --notify-ready start");
        // and were it told otherwise: a --trigger coldplug waits for the announcements, then for the loads
        Duration startBudget = o.settle().multipliedBy(o.coldplug() == Coldplug.Mode.TRIGGER ? 2 : 1).plusSeconds(30);
        assertTrue(timeSpan(service("TimeoutStartSec")).compareTo(startBudget) >= 0,
                "TimeoutStartSec=" + service("TimeoutStartSec") + " is shorter than a coldplug may take (" + startBudget + ")");
    }

    @Test
    void stopAndReloadSignalsAreTheOnesTheDaemonHandles() throws Exception {
        String kill = service("KillSignal");
        assertTrue(kill.startsWith("SIG") && DaemonCommand.STOP_SIGNALS.contains(kill.substring(3)),
                "KillSignal=" + kill + " does not stop the daemon; it stops on " + DaemonCommand.STOP_SIGNALS);
        List<String> reload = words(service("ExecReload"));
        assertEquals(List.of("-" + DaemonCommand.RELOAD_SIGNAL, "$MAINPID"), reload.subList(1, reload.size()),
                "ExecReload= must send SIG" + DaemonCommand.RELOAD_SIGNAL + " to the daemon");
        assertTrue(Files.isExecutable(Path.of(reload.get(0))), reload.get(0) + " is not executable here");
        // the reload command, as systemd runs it, reaches a handler installed the daemon's way
        CountDownLatch hup = new CountDownLatch(1);
        assertTrue(Signals.handle(DaemonCommand.RELOAD_SIGNAL, hup::countDown));
        Process p = new ProcessBuilder(reload.get(0), reload.get(1), Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(hup.await(10, TimeUnit.SECONDS), "SIG" + DaemonCommand.RELOAD_SIGNAL + " did not reach the handler");
    }

    @Test
    void theJvmAcceptsTheUnitsJavaOptions() throws Exception {
        Map<String, String> env = environment();
        String opts = env.get("AUTOPROBE_JAVA_OPTS");
        assertNotNull(opts, "the unit sets the daemon's JVM options");
        List<String> jvm = List.of(opts.split(" +"));
        for (String o : jvm) {
            if (o.startsWith("-Djna.tmpdir=")) {
                assertTrue(Path.of(o.substring("-Djna.tmpdir=".length())).startsWith(runtimeDirectory()),
                        o + ": JNA must unpack into the runtime directory (the root may be read-only at boot)");
            }
        }
        assertTrue(env.getOrDefault("MALLOC_ARENA_MAX", "1").matches("[1-9][0-9]*"));
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the JVM refuses " + jvm + ":\n" + out);
    }

    @Test
    void readsUnitFileSyntax() {
        Map<String, Map<String, List<String>>> u = parse(List.of("# c", "[Unit]", "A=1", "[Service]",
                "Environment=\"X=a b\" Y=c", "Environment=Z=d", "; c"));
        assertEquals(List.of("\"X=a b\" Y=c", "Z=d"), u.get("Service").get("Environment"));
        assertEquals(List.of("X=a b", "Y=c"), words("\"X=a b\" Y=c"));
        assertEquals(Duration.ofSeconds(90), timeSpan("1min 30s"));
        assertEquals(Duration.ofSeconds(45), timeSpan("45"));
        assertEquals(Duration.ofMinutes(5), timeSpan("5min"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parse(List.of("A=1")));
        assertTrue(e.getMessage().contains(":1:"), e.getMessage());
    }
}
