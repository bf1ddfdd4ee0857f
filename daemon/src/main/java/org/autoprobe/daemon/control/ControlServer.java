package org.autoprobe.daemon.control;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's control socket: a Unix domain stream socket (mode 0666: anyone may connect, the
 * {@link ControlPolicy} decides per command from the peer's {@code SO_PEERCRED}). One request per
 * connection: the client sends a line, the server answers lines and ends with {@code OK} or
 * {@code ERR <message>}, then closes. A client that does not send its line within 10 s is dropped.
 */
public final class ControlServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final long REQUEST_TIMEOUT_SECONDS = 10;

    /** Answers one request with lines (without the final OK). */
    @FunctionalInterface
    public interface Handler {
        List<String> handle(ControlRequest request) throws ControlException;
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final ExecutorService clients;
    private final ScheduledExecutorService timeouts;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path path, ServerSocketChannel server, Handler handler) {
        this.path = path;
        this.server = server;
        this.handler = handler;
        AtomicInteger n = new AtomicInteger();
        this.clients = Executors.newFixedThreadPool(4, r -> daemon(r, "autoprobe-control-" + n.incrementAndGet()));
        this.timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "autoprobe-control-timeout"));
        this.acceptor = daemon(this::acceptLoop, "autoprobe-control-accept");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Binds {@code path} (replacing a stale socket file, creating its directory) and starts serving. */
    public static ControlServer open(Path path, Handler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw new IOException("cannot listen on control socket " + path + ": " + e.getMessage(), e);
        }
        ControlServer s = new ControlServer(path, ch, handler);
        s.acceptor.start();
        LOG.info("control socket listening on {}", path);
        return s;
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                clients.execute(() -> serve(c));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("control socket: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel c) {
        ScheduledFuture<?> timeout = timeouts.schedule(() -> closeQuietly(c), REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try (c) {
            PeerCredentials.Peer peer = PeerCredentials.of(c);
            String line = readLine(c);
            timeout.cancel(false);
            if (line == null) {
                return;
            }
            ControlRequest req = ControlRequest.parse(line, peer.uid());
            StringBuilder reply = new StringBuilder();
            if (!ControlPolicy.permits(req.command(), peer.uid())) {
                LOG.info("control: refused '{}' from user {} (needs root)", req.command(), peer.name());
                reply.append("ERR permission denied: ").append(req.command()).append(" needs root\n");
            } else {
                try {
                    for (String l : handler.handle(req)) {
                        reply.append(l).append('\n');
                    }
                    reply.append("OK\n");
                } catch (ControlException e) {
                    reply.append("ERR ").append(e.getMessage()).append('\n');
                } catch (RuntimeException e) {
                    LOG.error("control: '{}' failed", line, e);
                    reply.append("ERR internal error: ").append(e).append('\n');
                }
            }
            ByteBuffer out = ByteBuffer.wrap(reply.toString().getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                c.write(out);
            }
        } catch (IOException e) {
            LOG.debug("control: client went away: {}", e.getMessage());
        } finally {
            timeout.cancel(false);
        }
    }

    /** Reads up to the first newline; null when the client sent nothing or too much. */
    private static String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(512);
        while (line.size() <= ControlRequest.MAX_LINE) {
            buf.clear();
            int n = c.read(buf);
            if (n < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            for (int i = 0; i < n; i++) {
                byte b = buf.get(i);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }
        return null;
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        clients.shutdownNow();
        timeouts.shutdownNow();
        Files.deleteIfExists(path);
    }
}
