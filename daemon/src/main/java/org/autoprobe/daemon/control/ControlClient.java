package org.autoprobe.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.autoprobe.daemon.sys.UnixStreamSocket;

/** Asks the daemon one thing over its control socket. */
public final class ControlClient {
    /** The daemon's default control socket. */
    public static final Path DEFAULT_SOCKET = Path.of("/run/autoprobe/control");
    /** How long a request may take, connect to last byte, unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The most of an answer read (answers are a few kilobytes). */
    static final int MAX_ANSWER = 16 << 20;

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

    /** Sends {@code request} (one line) and reads the whole answer, within {@link #DEFAULT_TIMEOUT}. */
    public static Response request(Path socket, String request) throws IOException {
        return request(socket, request, DEFAULT_TIMEOUT);
    }

    /**
     * Sends {@code request} (one line) and reads the whole answer.
     *
     * @param timeout for all of it: connecting, sending, and the answer up to its last line
     * @throws IOException when the daemon is not there, or did not answer in time (the message says which)
     */
    public static Response request(Path socket, String request, Duration timeout) throws IOException {
        if (request.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a request is one line");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String limit = seconds(timeout);
        UnixStreamSocket c;
        try {
            c = UnixStreamSocket.connect(socket.toString(), timeout.toMillis());
        } catch (SocketTimeoutException e) {
            throw new IOException("the autoprobe daemon on " + socket + " did not take the connection within " + limit
                    + " (it is busy or hung)", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot connect to " + socket + " (is the autoprobe daemon running?): " + e.getMessage(), e);
        }
        try (c) {
            IOException sending = null;
            try {
                c.writeFully((request + "\n").getBytes(StandardCharsets.UTF_8), deadline);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                sending = e; // the daemon may have answered (ERR busy) and closed before reading: read that
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = c.readAwait(buf, 0, buf.length, deadline)) >= 0; ) {
                    all.write(buf, 0, n);
                    if (all.size() > MAX_ANSWER) {
                        throw new IOException("the daemon's answer is over " + MAX_ANSWER + " bytes; giving up");
                    }
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // a reset after a whole answer (the daemon closed with our request unread) loses nothing
                if (!complete(all)) {
                    throw sending != null ? sending : e;
                }
            }
            if (sending != null && all.size() == 0) {
                throw sending;
            }
            return parse(all.toString(StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer from the autoprobe daemon on " + socket + " within " + limit, e);
        }
    }

    /** Whether the bytes end with a final {@code OK} or {@code ERR} line. */
    private static boolean complete(ByteArrayOutputStream all) {
        String text = all.toString(StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            return false;
        }
        int start = text.lastIndexOf('\n', text.length() - 2) + 1;
        String last = text.substring(start, text.length() - 1);
        return last.equals("OK") || last.startsWith("ERR ");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
