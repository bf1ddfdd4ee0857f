package org.autoprobe.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small client of QEMU's machine protocol (QMP) over the guest's {@code qmp.sock}: JSON lines.
 * Commands are written with flat string/boolean arguments; replies are read as text and searched
 * for {@code "return"} or {@code "error"}; asynchronous events in between are kept ({@link #events()}).
 */
public final class Qmp implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qmp-reader");
        t.setDaemon(true);
        return t;
    });
    private final List<String> events = new ArrayList<>();

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    }

    /** Connects to a running guest's QMP socket and leaves capabilities negotiation mode. */
    public static Qmp connect(Path socket) {
        try {
            if (!Files.exists(socket)) {
                throw new GuestException("no QMP socket at " + socket);
            }
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            Qmp q = new Qmp(ch);
            String greeting = q.line(Duration.ofSeconds(10));
            if (!greeting.contains("\"QMP\"")) {
                q.close();
                throw new GuestException("not a QMP greeting from " + socket + ": " + greeting);
            }
            q.execute("qmp_capabilities", Map.of());
            return q;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to QMP at " + socket, e);
        }
    }

    /**
     * Runs a command and returns its {@code return} reply line.
     *
     * @param arguments string values are quoted, Boolean and Number values written as they are
     * @throws GuestException on an {@code error} reply (with its text) or no reply within 30 s
     */
    public synchronized String execute(String command, Map<String, ?> arguments) {
        StringBuilder json = new StringBuilder("{\"execute\":\"").append(command).append('"');
        if (!arguments.isEmpty()) {
            json.append(",\"arguments\":{");
            boolean first = true;
            for (Map.Entry<String, ?> a : arguments.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                json.append('"').append(a.getKey()).append("\":");
                Object v = a.getValue();
                if (v instanceof Boolean || v instanceof Number) {
                    json.append(v);
                } else {
                    json.append('"').append(escape(String.valueOf(v))).append('"');
                }
            }
            json.append('}');
        }
        json.append("}\n");
        try {
            channel.write(ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.UTF_8)));
            while (true) {
                String reply = line(Duration.ofSeconds(30));
                if (reply.startsWith("{\"return\"")) {
                    return reply;
                }
                if (reply.startsWith("{\"error\"")) {
                    throw new GuestException("QMP " + json.toString().strip() + " failed: " + reply);
                }
                events.add(reply);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("QMP " + command + " failed", e);
        }
    }

    /** The asynchronous event lines seen so far (e.g. {@code DEVICE_DELETED}). */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /**
     * Waits until an event line containing {@code fragment} has arrived (e.g. {@code "DEVICE_DELETED"}
     * with the device's id), reading the socket meanwhile.
     */
    public synchronized String awaitEvent(String fragment, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String e : events) {
            if (e.contains(fragment)) {
                events.remove(e);
                return e;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new GuestException("no QMP event with " + fragment + " within " + timeout.toSeconds() + " s; seen: "
                        + events);
            }
            String e = line(Duration.ofNanos(left));
            if (e.contains(fragment)) {
                return e;
            }
            events.add(e);
        }
    }

    private String line(Duration timeout) {
        Future<String> f = reader.submit(in::readLine);
        try {
            String s = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new GuestException("QMP connection closed by QEMU");
            }
            return s.strip();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new GuestException("no QMP reply within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestException("interrupted while waiting for QMP", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new GuestException("QMP read failed: " + e.getCause(), e);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        reader.shutdownNow();
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
