package org.autoprobe.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Asks the daemon one thing over its control socket. */
public final class ControlClient {
    /** The daemon's default control socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/autoprobe/control");

    /**
     * The daemon's answer.
     *
     * @param lines the answer's lines, without the final status line
     * @param error null when the daemon said {@code OK}, else its {@code ERR} message
     */
    public record Response(List<String> lines, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private ControlClient() {
    }

    /** Sends {@code request} (one line) and reads the whole answer. */
    public static Response request(Path socket, String request) throws IOException {
        if (request.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a request is one line");
        }
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("cannot connect to " + socket + " (is the autoprobe daemon running?): " + e.getMessage(), e);
            }
            ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                c.write(out);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (c.read(buf) >= 0) {
                all.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return parse(all.toString(StandardCharsets.UTF_8));
        }
    }

    static Response parse(String text) throws IOException {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new IOException("the daemon closed the connection without an answer");
        }
        String last = lines.remove(lines.size() - 1);
        if (last.equals("OK")) {
            return new Response(List.copyOf(lines), null);
        }
        if (last.startsWith("ERR ")) {
            return new Response(List.copyOf(lines), last.substring(4));
        }
        throw new IOException("the daemon's answer is cut short (last line: " + last + ")");
    }
}
