package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.daemon.control.ControlClient;
import org.autoprobe.daemon.service.DaemonOptions;
import org.autoprobe.netlink.sys.UeventSocket;
import picocli.CommandLine;

/**
 * {@link DaemonCommand#fastPath} must configure the daemon exactly as picocli does from the same
 * arguments (every option of {@code DaemonCommand}, {@code DaemonRun} and {@code ModuleTreeOptions}),
 * and hand everything else to picocli.
 */
class DaemonFastPathTest {
    /** Options in each form, values good and bad, and forms the fast path must leave to picocli. */
    private static final List<String> TOKENS = List.of(
            "-d", "--dirname", "--dirname=/r", "-d/r", "-d=/r", "-S", "--set-version", "--set-version=6.1", "-S6.1",
            "-S=6.1", "-C", "--config", "--config=/etc/x.conf", "-C/c.conf", "--sys", "--sys=/s", "--sys=",
            "--rules-dir", "--rules-dir=/rules", "--trigger", "-n", "--dry-run", "--dry-run=true", "-n=true",
            "--workers", "--workers=2", "--receive-buffer", "--receive-buffer=65536", "--ring-size", "--ring-size=64",
            "--ring-size=3", "--ring-size=0", "--settle-timeout", "--settle-timeout=5", "--control", "--control=/run/c",
            "--no-control", "--no-watch", "/tmp/root", "6.1.0-13-amd64", "4", "3", "0", "1", "64", "010", "+4", "-1",
            "x", "a=b", "", "2147483648", "99999999999999999999", "--", "-", "@args", "-nd", "-dn", "-h", "--help",
            "-V", "--version", "--nope", "-x", "-nS", "--control=", "--sys=@s", "--boot-plan", "--boot-plan=/p",
            "--no-boot-plan", "--notify-ready", "--notify-ready=start", "--notify-ready=settled", "--notify-ready=soon",
            "start", "settled", "--metrics-file", "--metrics-file=/m.prom", "--metrics-file=", "--metrics-interval",
            "--metrics-interval=5", "--metrics-interval=0", "--metrics-interval=-2", "15");

    @Provide
    Arbitrary<List<String>> argv() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(8);
    }

    @Property(tries = 4000)
    void agreesWithPicocliWheneverItTakesTheArguments(@ForAll("argv") List<String> args) {
        DaemonCommand fast = fast(args);
        if (fast == null) {
            return; // picocli's own path
        }
        assertEquals(describe(picocli(args)), describe(fast), String.join(" ", args));
    }

    /** The fast path's configuration, or null. */
    private static DaemonCommand fast(List<String> args) {
        List<String> full = new ArrayList<>(List.of("daemon"));
        full.addAll(args);
        return DaemonCommand.fastPath(full.toArray(String[]::new));
    }

    /** picocli's configuration; it must not fail. */
    private static DaemonCommand picocli(List<String> args) {
        DaemonCommand picked = new DaemonCommand();
        new CommandLine(picked).parseArgs(args.toArray(String[]::new));
        return picked;
    }

    /** Every option's value, in the order the options are declared. */
    private static String describe(DaemonCommand c) {
        DaemonRun r = c.run;
        return Arrays.asList(r.tree.root, r.tree.kernelVersion, r.tree.configs, r.sys, r.rulesDirs, r.trigger, r.dryRun,
                r.workers, r.receiveBuffer, r.ringSize, r.settleSeconds, c.control, c.noControl, c.noWatch, c.bootPlan,
                c.noBootPlan, c.notifyReady, c.metricsFile, c.metricsInterval).toString();
    }

    @Example
    void noOptionsAreThePicocliDefaults() {
        DaemonCommand c = fast(List.of());
        assertNotNull(c);
        // --sys unset (null): the command's SystemRoot's sysfs, /sys on the running system
        assertEquals(Arrays.asList(null, null, List.of(), null, List.of(), false, false,
                DaemonOptions.defaultWorkers(), UeventSocket.DEFAULT_RECEIVE_BUFFER, DaemonOptions.DEFAULT_RING_SIZE, 120L,
                ControlClient.DEFAULT_SOCKET, false, false, null, false, "settled", null, 15L).toString(), describe(c));
        assertEquals(describe(picocli(List.of())), describe(c));
    }

    @Example
    void takesEveryOptionInEachOfItsForms() {
        String[][] table = {
            {"-d", "/r"}, {"-d/r"}, {"-d=/r"}, {"--dirname", "/r"}, {"--dirname=/r"},
            {"-S", "6.1"}, {"-S6.1"}, {"-S=6.1"}, {"--set-version", "6.1"}, {"--set-version=6.1"},
            {"-C", "/a.conf"}, {"-C/a.conf"}, {"--config", "/a.conf"}, {"--config=/a.conf"},
            {"-C", "/a.conf", "--config=/b.conf", "-C/c.conf", "--config", "/d.conf"},
            {"--sys", "/s"}, {"--sys=/s"},
            {"--rules-dir", "/r1"}, {"--rules-dir=/r1"}, {"--rules-dir", "/r1", "--rules-dir=/r2", "--rules-dir", "/r3"},
            {"--trigger"}, {"-n"}, {"--dry-run"},
            {"--workers", "3"}, {"--workers=3"}, {"--workers=0"},
            {"--receive-buffer", "65536"}, {"--receive-buffer=65536"}, {"--receive-buffer=0"},
            {"--ring-size", "64"}, {"--ring-size=1"}, {"--ring-size=1073741824"},
            {"--settle-timeout", "5"}, {"--settle-timeout=0"}, {"--settle-timeout=9223372036854775807"},
            {"--control", "/run/c"}, {"--control=/run/c"}, {"--no-control"}, {"--no-watch"},
            {"--boot-plan", "/p"}, {"--boot-plan=/p"}, {"--no-boot-plan"},
            {"--notify-ready", "start"}, {"--notify-ready=settled"},
            {"--metrics-file", "/m.prom"}, {"--metrics-file=/m.prom"}, {"--metrics-interval", "5"},
            {"--metrics-interval=1"}, {"--metrics-file=/var/lib/node_exporter/autoprobe.prom", "--metrics-interval=60"},
            {"--dry-run", "--no-control", "--no-watch", "--sys", "/s", "-d", "/r", "-S", "1.0", "-C", "/m.d",
                "--rules-dir", "/rules", "--trigger", "--workers=2", "--receive-buffer", "1024", "--ring-size=8",
                "--settle-timeout", "30", "--control=/c"},
            {"--sys", "/a=b"}, {"--sys=/a=b"}, {"-S", "010"}, {"--workers", "010"}, {"-dn"}, {"-d==x"},
        };
        for (String[] row : table) {
            List<String> args = List.of(row);
            DaemonCommand c = fast(args);
            assertNotNull(c, String.join(" ", args));
            assertEquals(describe(picocli(args)), describe(c), String.join(" ", args));
        }
    }

    @Example
    void leavesHelpVersionErrorsAndUnusualFormsToPicocli() {
        String[][] table = {
            {"--help"}, {"-h"}, {"-V"}, {"--version"}, {"--nope"}, {"-x"}, {"positional"}, {"--", "x"}, {"--"}, {"-"},
            {"@args"}, {"--ring-size", "3"}, {"--ring-size=0"}, {"--ring-size=-8"}, {"--workers", "x"}, {"--workers=+4"},
            {"--workers", "-1"}, {"--workers=2147483648"}, {"--settle-timeout=1.5"}, {"--settle-timeout", "99999999999999999999"},
            {"--sys"}, {"--sys="}, {"--sys", "--no-watch"}, {"-d"}, {"-d="}, {"--control", ""}, {"--sys=@s"},
            {"--sys", "/a", "--sys", "/b"}, {"-d", "/a", "--dirname=/b"}, {"-n", "--dry-run"}, {"--no-watch", "--no-watch"},
            {"--workers=1", "--workers=2"}, {"--dry-run=true"}, {"-n=true"}, {"-nd", "/r"}, {"--sys", "/s\0x"},
            {"--notify-ready=soon"}, {"--notify-ready", "x"}, {"--notify-ready"},
            {"--metrics-file"}, {"--metrics-file="}, {"--metrics-interval=0"}, {"--metrics-interval", "x"},
        };
        for (String[] row : table) {
            assertNull(fast(List.of(row)), String.join(" ", row));
        }
        assertNull(DaemonCommand.fastPath(new String[] {"coldplug", "--dry-run"}));
        assertNull(DaemonCommand.fastPath(new String[0]));
    }

    @Example
    void errorsStillComeFromPicocliThroughMain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "daemon", "--ring-size", "3");
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, e);
        assertTrue(e.startsWith("--ring-size must be a power of two: 3\n"), e);
        assertTrue(e.contains("Usage: autoprobe daemon"), e);
    }
}
