package org.autoprobe.daemon.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * systemd's readiness protocol ({@code Type=notify}): newline-separated {@code KEY=VALUE}
 * assignments in one datagram to the Unix socket named by {@code $NOTIFY_SOCKET} (a path, or an
 * abstract name written with a leading {@code @}).
 */
public final class SdNotify implements AutoCloseable {
    private final String address;
    private final UnixDatagramSocket socket;

    private SdNotify(String address, UnixDatagramSocket socket) {
        this.address = address;
        this.socket = socket;
    }

    /** Notifies {@code address}. */
    public static SdNotify to(String address) throws IOException {
        Objects.requireNonNull(address, "address");
        return new SdNotify(address, UnixDatagramSocket.open());
    }

    /** Notifies the socket in {@code $NOTIFY_SOCKET}, if the service manager set one. */
    public static Optional<SdNotify> fromEnvironment() throws IOException {
        String a = System.getenv("NOTIFY_SOCKET");
        if (a == null || a.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(to(a));
    }

    public String address() {
        return address;
    }

    /** The datagram for these assignments: each on its own line; a value's newlines become spaces. */
    public static byte[] message(String... assignments) {
        StringBuilder sb = new StringBuilder();
        for (String a : assignments) {
            if (a.indexOf('=') <= 0) {
                throw new IllegalArgumentException("not KEY=VALUE: " + a);
            }
            sb.append(a.replace('\n', ' ')).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends these assignments ({@code READY=1}, {@code STATUS=...}) in one datagram. */
    public void send(String... assignments) throws IOException {
        socket.send(address, message(assignments));
    }

    /** {@code READY=1} with a status line. */
    public void ready(String status) throws IOException {
        send("READY=1", "STATUS=" + status);
    }

    public void status(String status) throws IOException {
        send("STATUS=" + status);
    }

    public void stopping(String status) throws IOException {
        send("STOPPING=1", "STATUS=" + status);
    }

    public void reloading(String status) throws IOException {
        send("RELOADING=1", "STATUS=" + status);
    }

    @Override
    public void close() {
        socket.close();
    }
}
