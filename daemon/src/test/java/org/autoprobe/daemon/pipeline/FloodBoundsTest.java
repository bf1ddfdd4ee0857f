package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Floods through the daemon's pipeline ({@link FloodMain}), each in a JVM of its own with the
 * daemon's heap options ({@code -Xmx32m}, as the launcher gives it): what they may cost stays
 * bounded, and the counters say what was shed.
 */
class FloodBoundsTest {
    private static final long MB = 1 << 20;

    private static Map<String, String> flood(String kind, int events) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms4m", "-Xmx32m", "-Xmn4m", "-XX:ReservedCodeCacheSize=16m",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=target", "-cp", cp, FloodMain.class.getName(),
                kind, Integer.toString(events)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Process p = pb.start();
        // the child's log lines are counted in the child; its standard error carries their first kB only
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the flood ends");
        String stdout = new String(out, StandardCharsets.UTF_8);
        String stderr = new String(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "flood " + kind + " exited " + p.exitValue() + "\n" + stdout + "\n" + stderr);
        Map<String, String> m = new HashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("FLOOD ")) {
                for (String kv : line.substring(6).split(" ")) {
                    int eq = kv.indexOf('=');
                    m.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                System.out.println(line);
            }
        }
        assertTrue(m.containsKey("flood"), "no result from the flood:\n" + stdout + "\n" + stderr);
        m.put("stderr", stderr);
        return m;
    }

    private static long num(Map<String, String> m, String key) {
        return Long.parseLong(m.get(key));
    }

    /** Memory, threads and descriptors: the same for any flood. */
    private static void assertBounded(Map<String, String> m) {
        assertEquals("true", m.get("idle"), "everything settled");
        long heapGrowth = num(m, "heap_peak") - num(m, "heap_before");
        assertTrue(heapGrowth < 12 * MB, "retained heap grew by " + heapGrowth / 1024 + " kB");
        assertTrue(num(m, "heap_after") - num(m, "heap_before") < 8 * MB, "retained after: " + m.get("heap_after"));
        long extraThreads = num(m, "threads_peak") - num(m, "threads_before") - num(m, "flood_threads");
        assertTrue(extraThreads <= num(m, "workers"), extraThreads + " threads more than before, with "
                + m.get("workers") + " load workers");
        assertTrue(num(m, "fds_peak") <= num(m, "fds_before") + 2, "descriptors " + m.get("fds_before") + " -> "
                + m.get("fds_peak"));
        assertEquals(0, num(m, "events.malformed"));
    }

    @Test
    void twoHundredThousandDistinctModaliasesCostBoundedMemoryThreadsDescriptorsAndLogLines() throws Exception {
        int n = 200_000;
        Map<String, String> m = flood("modaliases", n);
        assertBounded(m);
        assertEquals(n + 1, num(m, "events.kernel"));
        long booms = (n - 3 + 255) / 256;
        assertEquals(booms, num(m, "events.failed"), "every event whose lookup threw is counted");
        long windows = (num(m, "publish_ms") + num(m, "settle_ms")) / (StageExceptionHandler.WINDOW_NANOS / 1_000_000) + 1;
        assertTrue(num(m, "events.failed_unlogged") >= booms - StageExceptionHandler.BURST * windows,
                "past the burst, failures are counted, not logged: " + m.get("events.failed_unlogged"));
        // one load of each wanted module, whatever the number of devices: good loads, bad fails once
        assertEquals(2, num(m, "loads.started"));
        assertEquals(1, num(m, "loads.loaded"));
        assertEquals(1, num(m, "loads.failed"));
        assertEquals(2, num(m, "inserts"));
        assertEquals(num(m, "loads.requested"),
                num(m, "loads.started") + num(m, "loads.shared") + num(m, "loads.remembered"));
        assertTrue(num(m, "log_lines") < 100, m.get("log_lines") + " log lines:\n" + m.get("stderr"));
    }

    @Test
    void aHundredThousandNewDevicesWaitingOnAHangingLoadCostBoundedMemoryAndAreCountedWhenShed() throws Exception {
        int n = 100_000;
        Map<String, String> m = flood("devices", n);
        assertBounded(m);
        assertEquals(n + 1, num(m, "events.kernel"));
        assertEquals(0, num(m, "events.failed"));
        assertTrue(num(m, "waiting_peak") <= num(m, "waiting_max"), "waiting " + m.get("waiting_peak"));
        assertTrue(num(m, "events.unordered") > 0, "past the bound, events are counted as unordered");
        assertTrue(num(m, "events.wanting_loads") <= n, m.get("events.wanting_loads"));
        assertEquals(1, num(m, "loads.started"), "one load for every device");
        assertEquals(1, num(m, "loads.loaded"));
        assertEquals(1, num(m, "inserts"));
        assertEquals(num(m, "loads.requested"),
                num(m, "loads.started") + num(m, "loads.shared") + num(m, "loads.remembered"));
        assertTrue(num(m, "log_lines") < 100, m.get("log_lines") + " log lines:\n" + m.get("stderr"));
    }
}
