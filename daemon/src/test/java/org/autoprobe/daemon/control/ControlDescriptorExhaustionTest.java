package org.autoprobe.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process whose descriptor table is full ({@code prlimit} lowers its RLIMIT_NOFILE once
 * it is up) while connections keep arriving: it must shed them without spinning or flooding its
 * log, and serve again once descriptors are free.
 */
class ControlDescriptorExhaustionTest {
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat on Linux. */
    private static final int TICKS_PER_SECOND = 100;

    @TempDir
    Path dir;

    @Test
    void outOfDescriptorsShedsWithoutSpinningAndRecovers() throws Exception {
        assumeTrue(Children.onPath("prlimit"), "needs prlimit (util-linux)");
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
        Path socket = dir.resolve("control");
        Path log = dir.resolve("server.log");
        List<String> cmd = List.of(Children.java(), "-cp", Children.classPath(), ControlServerChild.class.getName(),
                socket.toString(), "3000", "1000", "1000", "1000");
        List<SocketChannel> held = new ArrayList<>();
        try (Children.Child server = Children.Child.start(cmd, log)) {
            long pid = Long.parseLong(server.await("READY ").split(" ")[1]);
            long open;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                open = fds.count();
            }
            long limit = open + 3;
            assertEquals("", Children.run(List.of("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":" + limit)));
            for (int i = 0; i < 60; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(socket));
                held.add(c);
            }
            Thread.sleep(500);
            long lines0 = lines(log);
            long cpu0 = cpuMillis(pid);
            Thread.sleep(5000);
            long lines = lines(log) - lines0;
            long cpu = cpuMillis(pid) - cpu0;
            System.out.println("out of descriptors, 60 connections waiting: " + lines + " log lines and " + cpu
                    + " ms CPU in 5 s");
            assertTrue(lines <= 2, lines + " log lines in 5 s:\n" + Files.readString(log));
            assertTrue(cpu < 500, cpu + " ms CPU in 5 s: the loop spins");
            String text = Files.readString(log);
            assertTrue(text.contains("out of file descriptors (accept4(" + socket + ") failed: EMFILE (Too many open files))"), text);
            int closed = 0;
            for (SocketChannel c : held) {
                c.configureBlocking(false);
                if (c.read(ByteBuffer.allocate(64)) < 0) {
                    closed++;
                }
            }
            assertTrue(closed >= 50, "only " + closed + " of 60 were shed");
            for (SocketChannel c : held) {
                c.close();
            }
            held.clear();
            Thread.sleep(3500); // the few it took time out, freeing their descriptors
            ControlClient.Response r = ControlClient.request(socket, "status");
            assertEquals("command=status", r.lines().get(1), "serves again");
            String counters = server.finish();
            Matcher m = Pattern.compile("shed=(\\d+)").matcher(counters);
            assertTrue(m.find(), counters);
            assertTrue(Integer.parseInt(m.group(1)) >= 50, counters);
            assertTrue(lines(log) <= 3, Files.readString(log));
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }

    private static long lines(Path log) throws IOException {
        return Files.readAllLines(log).size();
    }

    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14 and stime 15
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / TICKS_PER_SECOND;
    }
}
