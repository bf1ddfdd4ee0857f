package org.autoprobe.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

import org.autoprobe.daemon.sys.UnixStreamListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/** The control server in this JVM: bad input, deadlines, bounds, and what it does with its path. */
class ControlServerTest {
    @TempDir
    Path dir;

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final BiConsumer<Level, String> log = (level, line) -> logged.add(level + " " + line);

    private ControlServer open(Path socket, ControlServer.Handler h, ControlServer.Limits limits) throws IOException {
        return ControlServer.open(socket, h, limits, log);
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    /** Sends raw bytes (the client refuses what the server must cope with) and reads the whole answer. */
    private static String raw(Path socket, byte[] request) throws IOException {
        try (SocketChannel c = connect(socket)) {
            c.write(ByteBuffer.wrap(request));
            return readAll(c);
        }
    }

    private static String readAll(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        while (c.read(b) >= 0) {
            if (!b.hasRemaining()) {
                throw new IOException("answer too long");
            }
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void invalidRequestsGetACleanErrAndAtMostARateLimitedLine() throws IOException {
        Path socket = dir.resolve("control");
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        try (ControlServer s = open(socket, req -> {
            handled.add(req.command());
            return List.of();
        }, ControlServer.Limits.DEFAULT)) {
            assertEquals("ERR invalid request: control byte 0x00 at offset 12\n",
                    raw(socket, "explain /dev\0ices\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("ERR invalid request: control byte 0x1b at offset 7\n",
                    raw(socket, "status \u001b[2J\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("ERR invalid request: not UTF-8 (at offset 8)\n",
                    raw(socket, new byte[] {'r', 'e', 's', 'o', 'l', 'v', 'e', ' ', (byte) 0xc3, '(', '\n'}));
            byte[] longLine = new byte[ControlRequest.MAX_LINE + 500];
            Arrays.fill(longLine, (byte) 'a');
            assertEquals("ERR invalid request: longer than 4096 bytes\n", raw(socket, longLine));
            assertEquals(List.of(), handled, "none reached the handler");
            assertEquals(4, s.counters().invalid.sum());
            for (int i = 0; i < 100; i++) {
                assertEquals("ERR invalid request: control byte 0x00 at offset 0\n", raw(socket, new byte[] {0, '\n'}));
            }
            assertEquals("OK\n", raw(socket, "status\t\r\n".getBytes(StandardCharsets.UTF_8)), "a tab and a final CR are fine");
        }
        List<String> lines = new ArrayList<>(logged);
        assertTrue(lines.size() <= 6, "104 bad requests, burst 5 (+1 for the socket): " + lines);
        for (String l : lines) {
            assertFalse(l.contains("\n") || l.contains("\tat "), "one line, no stack trace: " + l);
        }
        assertTrue(lines.get(0).startsWith("INFO control: invalid request: control byte 0x00 at offset 12 from uid "), lines.get(0));
    }

    @Test
    void aFailingHandlerLogsOneLineWithClassAndMessage() throws IOException {
        Path socket = dir.resolve("control");
        try (ControlServer s = open(socket, req -> {
            throw new IllegalStateException("broken\nacross lines");
        }, ControlServer.Limits.DEFAULT)) {
            for (int i = 0; i < 50; i++) {
                assertEquals("internal error: IllegalStateException", ControlClient.request(socket, "status").error());
            }
            assertEquals(50, s.counters().failed.sum());
        }
        List<String> errors = logged.stream().filter(l -> l.startsWith("ERROR")).toList();
        assertEquals(5, errors.size(), "rate-limited: " + errors);
        assertTrue(errors.get(0).matches("ERROR control: 'status' from uid \\d+.* failed: "
                + "java.lang.IllegalStateException: broken across lines"), errors.get(0));
    }

    @Test
    void theDeadlineCountsFromAcceptEvenForAClientThatKeepsSending() throws Exception {
        Path socket = dir.resolve("control");
        try (ControlServer s = open(socket, req -> List.of("fine"), new ControlServer.Limits(Duration.ofMillis(400), 64, 64, 64))) {
            long t0 = System.nanoTime();
            try (SocketChannel idle = connect(socket)) {
                assertEquals("ERR timed out\n", readAll(idle));
            }
            long idleMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(idleMillis >= 350 && idleMillis < 3000, "idle closed after " + idleMillis + " ms");
            t0 = System.nanoTime();
            try (SocketChannel drip = connect(socket)) {
                IOException gone = null;
                for (int i = 0; i < 40 && gone == null; i++) {
                    try {
                        drip.write(ByteBuffer.wrap(new byte[] {'s'}));
                    } catch (IOException e) {
                        gone = e;
                    }
                    Thread.sleep(50);
                }
                long dripMillis = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(gone != null, "a byte every 50 ms does not keep the connection past its deadline");
                assertTrue(dripMillis < 1500, "dripping client closed after " + dripMillis + " ms");
            }
            assertEquals(2, s.counters().timedOut.sum());
            assertEquals(List.of("fine"), ControlClient.request(socket, "status").lines(), "still serving");
        }
    }

    @Test
    void idleConnectionsDoNotDelayAStatus() throws IOException {
        Path socket = dir.resolve("control");
        List<SocketChannel> idle = new ArrayList<>();
        try (ControlServer s = open(socket, req -> List.of("fine"), new ControlServer.Limits(Duration.ofSeconds(30), 64, 64, 64))) {
            for (int i = 0; i < 40; i++) {
                idle.add(connect(socket));
            }
            long t0 = System.nanoTime();
            assertEquals(List.of("fine"), ControlClient.request(socket, "status").lines());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 1000, "status behind 40 idle connections took " + millis + " ms");
            assertEquals(41, s.counters().accepted.sum());
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }

    /** The bound this JVM's own user meets: root's when the build runs as root, else the per-user one. */
    @Test
    void connectionsOverTheBoundAreAnsweredBusy() throws Exception {
        Path socket = dir.resolve("control");
        List<SocketChannel> held = new ArrayList<>();
        try (ControlServer s = open(socket, req -> List.of("fine"), new ControlServer.Limits(Duration.ofSeconds(30), 2, 2, 2))) {
            held.add(connect(socket));
            held.add(connect(socket));
            try (SocketChannel third = connect(socket)) {
                assertEquals("ERR busy\n", readAll(third));
            }
            assertEquals("busy", ControlClient.request(socket, "status").error());
            assertEquals(2, s.counters().busy.sum());
            held.remove(0).close();
            for (int i = 0; i < 100 && !ControlClient.request(socket, "status").ok(); i++) {
                Thread.sleep(20);
            }
            assertEquals(List.of("fine"), ControlClient.request(socket, "status").lines(), "a closed connection frees its place");
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
        assertEquals(1, logged.stream().filter(l -> l.startsWith("WARN control socket: busy: uid ")).count(), logged.toString());
    }

    @Test
    void aPathThatIsNotASocketIsLeftAloneAndTheStartFails() throws IOException {
        Path file = dir.resolve("control");
        Files.writeString(file, "precious\n");
        IOException e = assertThrows(IOException.class, () -> open(file, req -> List.of(), ControlServer.Limits.DEFAULT));
        assertEquals("cannot use " + file + " as the control socket: it exists and is not a socket (a regular file);"
                + " remove it or give another --control path", e.getMessage());
        assertEquals("precious\n", Files.readString(file));
        Path sub = Files.createDirectory(dir.resolve("sub"));
        e = assertThrows(IOException.class, () -> open(sub, req -> List.of(), ControlServer.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("(a directory)"), e.getMessage());
        assertTrue(Files.isDirectory(sub));
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, file);
        e = assertThrows(IOException.class, () -> open(link, req -> List.of(), ControlServer.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("(a symbolic link)"), e.getMessage());
        assertEquals("precious\n", Files.readString(file));
    }

    @Test
    void aLiveSocketBelongsToTheDaemonAnsweringOnIt() throws IOException {
        Path socket = dir.resolve("control");
        try (ControlServer first = open(socket, req -> List.of("first"), ControlServer.Limits.DEFAULT)) {
            IOException e = assertThrows(IOException.class, () -> open(socket, req -> List.of("second"), ControlServer.Limits.DEFAULT));
            assertEquals("another daemon is listening on " + socket + " (it answered a connection); not starting a second one",
                    e.getMessage());
            assertEquals(List.of("first"), ControlClient.request(first.path(), "status").lines(), "the first keeps its socket");
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void aStaleSocketIsReplaced() throws IOException {
        Path socket = dir.resolve("control");
        UnixStreamListener.bind(socket.toString(), 1).close(); // the file stays, nobody listens: ECONNREFUSED
        assertTrue(Files.exists(socket));
        try (ControlServer s = open(socket, req -> List.of("new"), ControlServer.Limits.DEFAULT)) {
            assertEquals(List.of("new"), ControlClient.request(s.path(), "status").lines());
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void closingRemovesOnlyTheSocketThisServerBound() throws IOException {
        Path socket = dir.resolve("control");
        ControlServer s = open(socket, req -> List.of(), ControlServer.Limits.DEFAULT);
        Files.delete(socket);
        try (UnixStreamListener other = UnixStreamListener.bind(socket.toString(), 1)) {
            s.close();
            assertTrue(Files.exists(Path.of(other.path())), "another's socket at the path stays");
        }
        Files.delete(socket);
        ControlServer t = open(socket, req -> List.of(), ControlServer.Limits.DEFAULT);
        Files.delete(socket);
        Files.writeString(socket, "someone else's\n");
        t.close();
        assertEquals("someone else's\n", Files.readString(socket));
    }

    @Test
    void theClientGivesUpOnADaemonThatDoesNotAnswer() throws IOException {
        Path socket = dir.resolve("control");
        try (UnixStreamListener mute = UnixStreamListener.bind(socket.toString(), 4)) {
            assertTrue(mute.fd() >= 0);
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> ControlClient.request(socket, "status", Duration.ofMillis(300)));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("no answer from the autoprobe daemon on " + socket + " within 300 ms", e.getMessage());
            assertTrue(millis >= 250 && millis < 3000, millis + " ms");
        }
    }

    @Test
    void aRequestThatTimesOutWhileItsHandlerRunsKeepsItsPlaceUntilTheHandlerIsDone() throws Exception {
        Path socket = dir.resolve("control");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (ControlServer s = open(socket, req -> {
            if (req.command().equals("slow")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of("done " + req.command());
        }, new ControlServer.Limits(Duration.ofMillis(300), 1, 1, 1))) {
            assertEquals("timed out", ControlClient.request(socket, "slow").error());
            assertEquals("busy", ControlClient.request(socket, "status").error(), "the slow handler still holds the place");
            release.countDown();
            ControlClient.Response r = ControlClient.request(socket, "status");
            for (int i = 0; i < 100 && !r.ok(); i++) {
                Thread.sleep(20);
                r = ControlClient.request(socket, "status");
            }
            assertEquals(List.of("done status"), r.lines());
            assertEquals(1, s.counters().timedOut.sum());
        }
    }
}
