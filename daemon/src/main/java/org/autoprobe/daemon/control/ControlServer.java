package org.autoprobe.daemon.control;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.daemon.sys.Poll;
import org.autoprobe.daemon.sys.UnixStreamListener;
import org.autoprobe.daemon.sys.UnixStreamSocket;
import org.autoprobe.daemon.sys.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The daemon's control socket: a Unix domain stream socket (mode 0666: anyone may connect, the
 * {@link ControlPolicy} decides per command from the peer's numeric uid, {@code SO_PEERCRED}).
 * One request per connection: the client sends a line, the server answers lines and ends with
 * {@code OK} or {@code ERR <message>}, then closes.
 *
 * <p>One thread runs a {@code poll} loop that accepts, reads request lines and writes answers
 * without blocking, so idle or slow clients cost a descriptor each and no thread. Each connection
 * has a deadline counted from its accept ({@link Limits#deadline()}): the line must be read and
 * the answer written within it, else the connection is closed. Handlers run on two small pools:
 * root's requests on their own lane, never queued behind other users'. Open connections are
 * bounded per user and in total for users other than root, and for root separately; a connection
 * over a bound is answered {@code ERR busy} and closed. When the process runs out of descriptors
 * the waiting connections are accepted and closed at once (a spare descriptor makes room), so the
 * loop never spins. Everything a client can make happen is logged through token buckets.
 */
public final class ControlServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int BACKLOG = 128;
    /** Connections taken from the listen queue per wake-up, so reading and writing go on under a flood. */
    private static final int ACCEPT_BATCH = 64;

    /** Answers one request with lines (without the final OK). */
    @FunctionalInterface
    public interface Handler {
        List<String> handle(ControlRequest request) throws ControlException;
    }

    /**
     * Bounds on clients.
     *
     * @param deadline   from accept to the end of the answer
     * @param perUser    open connections of one user other than root
     * @param users      open connections of all users other than root together
     * @param root       open connections of root
     */
    record Limits(Duration deadline, int perUser, int users, int root) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 8, 64, 32);

        public Limits {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative() || deadline.isZero() || perUser < 1 || users < 1 || root < 1) {
                throw new IllegalArgumentException("limits must be positive: " + deadline + " " + perUser + " " + users + " " + root);
            }
        }
    }

    /** What the server did, for status output and tests. */
    public static final class Counters {
        final LongAdder accepted = new LongAdder();
        final LongAdder answered = new LongAdder();
        /** Over a per-user, users' or root's bound: answered {@code ERR busy}. */
        final LongAdder busy = new LongAdder();
        /** Accepted and closed at once because the process had no descriptor to spare. */
        final LongAdder shedNoDescriptors = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder invalid = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder failed = new LongAdder();

        /** {@code control.NAME=value} lines' names and values, in a fixed order. */
        public Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("control.accepted", accepted.sum());
            m.put("control.answered", answered.sum());
            m.put("control.busy", busy.sum());
            m.put("control.shed_no_descriptors", shedNoDescriptors.sum());
            m.put("control.timed_out", timedOut.sum());
            m.put("control.invalid", invalid.sum());
            m.put("control.refused", refused.sum());
            m.put("control.failed", failed.sum());
            return m;
        }
    }

    private enum State { READING, RUNNING, WRITING }

    private static final class Conn {
        final UnixStreamSocket socket;
        final int uid;
        final long deadline;
        final byte[] in = new byte[ControlRequest.MAX_LINE + 2];
        int inLength;
        State state = State.READING;
        byte[] out;
        int outPos;
        volatile boolean gone;

        Conn(UnixStreamSocket socket, int uid, long deadline) {
            this.socket = socket;
            this.uid = uid;
            this.deadline = deadline;
        }
    }

    private record Done(Conn conn, byte[] answer) {
    }

    private final Path path;
    private final Object fileKey;
    private final UnixStreamListener listener;
    private final org.autoprobe.daemon.sys.Wakeup wakeup;
    private final Handler handler;
    private final Limits limits;
    private final Counters counters = new Counters();
    private final ExecutorService rootLane;
    private final ExecutorService userLane;
    private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Conn> conns = new HashMap<>();
    private final byte[] scratch = new byte[8192];
    private final Map<Integer, Integer> openByUid = new HashMap<>();
    private int usersOpen;
    private int rootOpen;
    private long acceptPausedUntil;
    private long acceptBackoffMillis;
    private final RateLimitedLog clientLog;
    private final RateLimitedLog busyLog;
    private final RateLimitedLog descriptorLog;
    private final RateLimitedLog failureLog;
    private final Thread loop;
    private volatile boolean closed;

    private ControlServer(Path path, Object fileKey, UnixStreamListener listener, org.autoprobe.daemon.sys.Wakeup wakeup,
                          Handler handler, Limits limits, BiConsumer<Level, String> log) {
        this.path = path;
        this.fileKey = fileKey;
        this.listener = listener;
        this.wakeup = wakeup;
        this.handler = handler;
        this.limits = limits;
        this.rootLane = pool(2, "autoprobe-control-root");
        this.userLane = pool(2, "autoprobe-control-user");
        this.clientLog = new RateLimitedLog(l -> log.accept(Level.INFO, l), 5, Duration.ofSeconds(10));
        this.busyLog = new RateLimitedLog(l -> log.accept(Level.WARN, l), 1, Duration.ofSeconds(30));
        this.descriptorLog = new RateLimitedLog(l -> log.accept(Level.WARN, l), 1, Duration.ofSeconds(30));
        this.failureLog = new RateLimitedLog(l -> log.accept(Level.ERROR, l), 5, Duration.ofSeconds(10));
        this.loop = new Thread(this::run, "autoprobe-control");
        this.loop.setDaemon(true);
    }

    private static ExecutorService pool(int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** {@link #open(Path, Handler, Limits)} with {@link Limits#DEFAULT}. */
    public static ControlServer open(Path path, Handler handler) throws IOException {
        return open(path, handler, Limits.DEFAULT);
    }

    /**
     * Binds {@code path} (creating its directory) and starts serving. A socket file nobody
     * listens on is replaced; anything else at {@code path} (another file, or a socket a live
     * daemon answers on) is left alone and the start fails.
     */
    public static ControlServer open(Path path, Handler handler, Limits limits) throws IOException {
        return open(path, handler, limits, ControlServer::toLog);
    }

    static ControlServer open(Path path, Handler handler, Limits limits, BiConsumer<Level, String> log) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(limits, "limits");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        clearStale(path);
        UnixStreamListener l;
        Object key;
        try {
            l = UnixStreamListener.bind(path.toString(), BACKLOG);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot listen on control socket " + path + ": " + e.getMessage(), e);
        }
        org.autoprobe.daemon.sys.Wakeup w = null;
        try {
            key = fileKey(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
            w = org.autoprobe.daemon.sys.Wakeup.open();
        } catch (IOException | RuntimeException e) {
            l.close();
            if (w != null) {
                w.close();
            }
            Files.deleteIfExists(path);
            throw new IOException("cannot listen on control socket " + path + ": " + e.getMessage(), e);
        }
        UnixStreamListener.preload();
        who(0).toString();
        ControlServer s = new ControlServer(path, key, l, w, handler, limits, log);
        s.loop.start();
        LOG.info("control socket listening on {}", path);
        return s;
    }

    private static void toLog(Level level, String line) {
        // plain calls (no switch, no fluent builder): nothing here loads a class late, when the
        // process may have no descriptor left to read one with
        if (level == Level.ERROR) {
            LOG.error("{}", line);
        } else if (level == Level.WARN) {
            LOG.warn("{}", line);
        } else if (level == Level.INFO) {
            LOG.info("{}", line);
        } else {
            LOG.debug("{}", line);
        }
    }

    /** The device and inode of a file, as {@code unix:dev} and {@code unix:ino}. */
    private static Object fileKey(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        return List.of(a.get("dev"), a.get("ino"));
    }

    /** Removes a stale socket at {@code path}; refuses anything else there. */
    private static void clearStale(Path path) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        final int sIfMt = 0170000;
        final int sIfSock = 0140000;
        if ((mode & sIfMt) != sIfSock) {
            throw new IOException("cannot use " + path + " as the control socket: it exists and is not a socket ("
                    + kind(path) + "); remove it or give another --control path");
        }
        try {
            UnixStreamSocket.connect(path.toString(), 1000).close();
            throw new IOException("another daemon is listening on " + path + " (it answered a connection); not starting a second one");
        } catch (SocketTimeoutException e) {
            throw new IOException("another daemon is listening on " + path + " (its queue is full); not starting a second one");
        } catch (SyscallException e) {
            if (e.errno().equals(Errno.ECONNREFUSED)) {
                LOG.info("removing stale control socket {} (nobody listens on it)", path);
                Files.deleteIfExists(path);
                return;
            }
            if (e.errno().equals(Errno.ENOENT)) { // gone meanwhile
                return;
            }
            throw new IOException("cannot tell whether a daemon listens on " + path + ": " + e.getMessage(), e);
        }
    }

    private static String kind(Path p) {
        if (Files.isSymbolicLink(p)) {
            return "a symbolic link";
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "a directory";
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return "a regular file";
        }
        return "a special file";
    }

    public Path path() {
        return path;
    }

    Limits limits() {
        return limits;
    }

    public Counters counters() {
        return counters;
    }

    // ---------------------------------------------------------------- the loop

    private void run() {
        Poll poll = new Poll();
        List<Conn> polled = new ArrayList<>();
        while (!closed) {
            try {
                turn(poll, polled);
            } catch (IOException | RuntimeException | LinkageError e) {
                // LinkageError: a class that could not be loaded, e.g. with no descriptor left to read it
                if (closed) {
                    return;
                }
                failureLog.log("control socket: event loop: {}: {}", e.getClass().getSimpleName(), e.getMessage());
                pause(100);
            }
        }
    }

    private void turn(Poll poll, List<Conn> polled) throws IOException {
        for (Done d; (d = done.poll()) != null; ) {
            if (d.conn.gone) {
                release(d.conn); // timed out while its handler ran: its place was kept until now
            } else {
                d.conn.out = d.answer;
                d.conn.state = State.WRITING;
                write(d.conn);
            }
        }
        long now = System.nanoTime();
        expire(now);
        poll.clear();
        polled.clear();
        poll.add(wakeup.fd(), Poll.POLLIN);
        boolean accepting = now - acceptPausedUntil >= 0;
        int listenerIndex = accepting ? poll.add(listener.fd(), Poll.POLLIN) : -1;
        long next = accepting ? Long.MAX_VALUE : acceptPausedUntil;
        for (Conn c : conns.values()) {
            if (c.state == State.READING) {
                poll.add(c.socket.fd(), Poll.POLLIN);
                polled.add(c);
            } else if (c.state == State.WRITING) {
                poll.add(c.socket.fd(), Poll.POLLOUT);
                polled.add(c);
            }
            next = Math.min(next, c.deadline);
        }
        int timeout = next == Long.MAX_VALUE ? -1 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, (next - now) / 1_000_000L + 1));
        if (poll.await(timeout) == 0) {
            return;
        }
        if (poll.revents(0) != 0) {
            wakeup.drain();
        }
        for (int i = 0; i < polled.size(); i++) {
            Conn c = polled.get(i);
            if (poll.revents(i + (listenerIndex >= 0 ? 2 : 1)) == 0 || c.gone) {
                continue;
            }
            if (c.state == State.READING) {
                read(c);
            } else if (c.state == State.WRITING) {
                write(c);
            }
        }
        if (listenerIndex >= 0 && poll.revents(listenerIndex) != 0) {
            acceptSome();
        }
    }

    private void acceptSome() {
        // a spare lost to another thread while shedding is taken back before anything else: a
        // descriptor freed later (a connection timed out) must not go to a new client first
        if (!listener.hasSpare()) {
            listener.takeSpare();
        }
        for (int i = 0; i < ACCEPT_BATCH && !closed; i++) {
            UnixStreamSocket s;
            try {
                s = listener.accept();
                if (s == null) {
                    acceptBackoffMillis = 0;
                    listener.takeSpare();
                    return;
                }
            } catch (SyscallException e) {
                if (UnixStreamListener.outOfFileDescriptors(e)) {
                    outOfDescriptors(e);
                } else {
                    failureLog.log("control socket: {}", e.getMessage());
                    backOff();
                }
                return;
            } catch (IOException e) {
                failureLog.log("control socket: {}", e.getMessage());
                backOff();
                return;
            }
            admit(s);
        }
    }

    private void outOfDescriptors(SyscallException e) {
        int shed = 0;
        try {
            while (shed < ACCEPT_BATCH && listener.shed()) {
                shed++;
            }
        } catch (IOException again) {
            // still nothing to accept with; the back-off below keeps the loop from spinning
        }
        counters.shedNoDescriptors.add(shed);
        descriptorLog.log("control socket: out of file descriptors ({}); closing new connections at once"
                + " ({} shed so far, {} open)", e.getMessage(), counters.shedNoDescriptors.sum(), conns.size());
        if (shed == 0 || !listener.hasSpare()) {
            backOff();
        }
    }

    /** Stops accepting for a while, longer each time in a row (up to 1 s), so a persistent error costs no CPU. */
    private void backOff() {
        acceptBackoffMillis = acceptBackoffMillis == 0 ? 50 : Math.min(1000, acceptBackoffMillis * 2);
        acceptPausedUntil = System.nanoTime() + acceptBackoffMillis * 1_000_000L;
    }

    private void admit(UnixStreamSocket s) {
        counters.accepted.increment();
        UnixStreamSocket.Credentials peer;
        try {
            peer = s.peer();
        } catch (IOException e) {
            failureLog.log("control socket: {}", e.getMessage());
            s.close();
            return;
        }
        int uid = peer.uid();
        String over = null;
        if (uid == 0) {
            if (rootOpen >= limits.root()) {
                over = "root has " + rootOpen + " connections open";
            }
        } else if (openByUid.getOrDefault(uid, 0) >= limits.perUser()) {
            over = "uid " + Integer.toUnsignedString(uid) + " has " + openByUid.get(uid) + " connections open";
        } else if (usersOpen >= limits.users()) {
            over = "users other than root have " + usersOpen + " connections open";
        }
        if (over != null) {
            counters.busy.increment();
            byte[] busy = "ERR busy\n".getBytes(StandardCharsets.US_ASCII);
            try {
                s.write(busy, 0, busy.length);
            } catch (IOException e) {
                // it left already
            }
            discardInput(s);
            s.close();
            busyLog.log("control socket: busy: {} (pid {}): {}; {} connections turned away so far",
                    who(uid), peer.pid(), over, counters.busy.sum());
            return;
        }
        if (uid == 0) {
            rootOpen++;
        } else {
            usersOpen++;
            openByUid.merge(uid, 1, Integer::sum);
        }
        Conn c = new Conn(s, uid, System.nanoTime() + limits.deadline().toNanos());
        conns.put(s.fd(), c);
        read(c);
    }

    private void read(Conn c) {
        int newline = -1;
        try {
            while (newline < 0) {
                int room = c.in.length - c.inLength;
                if (room == 0) {
                    invalid(c, "invalid request: longer than " + ControlRequest.MAX_LINE + " bytes");
                    return;
                }
                int n = c.socket.read(c.in, c.inLength, room);
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    if (c.inLength == 0) {
                        drop(c);
                        return;
                    }
                    newline = c.inLength;
                    break;
                }
                for (int i = c.inLength; i < c.inLength + n; i++) {
                    if (c.in[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                c.inLength += n;
            }
        } catch (IOException e) {
            LOG.debug("control: client went away: {}", e.getMessage());
            drop(c);
            return;
        }
        String line;
        try {
            line = ControlRequest.decode(c.in, newline);
        } catch (ControlException e) {
            invalid(c, e.getMessage());
            return;
        }
        dispatch(c, ControlRequest.parse(line, c.uid));
    }

    private void invalid(Conn c, String reason) {
        counters.invalid.increment();
        clientLog.log("control: {} from {}", reason, who(c.uid));
        answer(c, "ERR " + reason + "\n");
    }

    private void dispatch(Conn c, ControlRequest req) {
        if (!ControlPolicy.permits(req.command(), c.uid)) {
            counters.refused.increment();
            clientLog.log("control: refused '{}' from {} (needs root)", req.command(), who(c.uid));
            answer(c, "ERR permission denied: " + req.command() + " needs root\n");
            return;
        }
        c.state = State.RUNNING;
        try {
            (c.uid == 0 ? rootLane : userLane).execute(() -> {
                byte[] answer = handle(req, c.uid);
                done.add(new Done(c, answer));
                wakeup.signal();
            });
        } catch (RejectedExecutionException e) {
            drop(c); // closing
        }
    }

    private byte[] handle(ControlRequest req, int uid) {
        StringBuilder reply = new StringBuilder();
        try {
            for (String l : handler.handle(req)) {
                reply.append(l).append('\n');
            }
            reply.append("OK\n");
        } catch (ControlException e) {
            reply.append("ERR ").append(oneLine(e.getMessage())).append('\n');
        } catch (RuntimeException e) {
            counters.failed.increment();
            failureLog.log("control: '{}' from {} failed: {}: {}", req.command(), who(uid),
                    e.getClass().getName(), oneLine(String.valueOf(e.getMessage())));
            reply.append("ERR internal error: ").append(e.getClass().getSimpleName()).append('\n');
        }
        return reply.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code uid N (name)}, looked up only when a log line is written. */
    private static Object who(int uid) {
        return new Object() {
            @Override
            public String toString() {
                return Users.describe(uid);
            }
        };
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private void answer(Conn c, String text) {
        c.out = text.getBytes(StandardCharsets.UTF_8);
        c.state = State.WRITING;
        write(c);
    }

    private void write(Conn c) {
        try {
            while (c.outPos < c.out.length) {
                int n = c.socket.write(c.out, c.outPos, c.out.length - c.outPos);
                if (n == 0) {
                    return; // polled for POLLOUT
                }
                c.outPos += n;
            }
            counters.answered.increment();
            discardInput(c.socket);
        } catch (IOException e) {
            LOG.debug("control: client went away: {}", e.getMessage());
        }
        drop(c);
    }

    /**
     * Reads and drops what the client sent beyond its line (up to 64 KiB): closing a Unix socket
     * with unread input resets the connection, and the client would lose the answer.
     */
    private void discardInput(UnixStreamSocket s) {
        byte[] sink = scratch;
        try {
            for (int total = 0; total < 65536; ) {
                int n = s.read(sink, 0, sink.length);
                if (n <= 0) {
                    return;
                }
                total += n;
            }
        } catch (IOException e) {
            // gone: nothing to keep
        }
    }

    private void expire(long now) {
        List<Conn> late = null;
        for (Conn c : conns.values()) {
            if (now - c.deadline >= 0) {
                if (late == null) {
                    late = new ArrayList<>();
                }
                late.add(c);
            }
        }
        if (late == null) {
            return;
        }
        for (Conn c : late) {
            counters.timedOut.increment();
            if (c.state != State.WRITING) {
                byte[] msg = "ERR timed out\n".getBytes(StandardCharsets.US_ASCII);
                try {
                    c.socket.write(msg, 0, msg.length);
                } catch (IOException e) {
                    // it left already
                }
            }
            clientLog.log("control: {} timed out after {} ms ({})", who(c.uid),
                    limits.deadline().toMillis(), c.state == State.READING ? "no request line"
                    : c.state == State.RUNNING ? "the answer was not ready" : "the answer was not taken");
            drop(c);
        }
    }

    /**
     * Closes a connection. Its place in the bounds is given back now, or, while its handler still
     * runs, when the handler is done: a client cannot pile up handler work by timing out.
     */
    private void drop(Conn c) {
        if (c.gone) {
            return;
        }
        c.gone = true;
        conns.remove(c.socket.fd());
        c.socket.close();
        if (c.state != State.RUNNING) {
            release(c);
        }
    }

    private void release(Conn c) {
        if (c.uid == 0) {
            rootOpen--;
        } else {
            usersOpen--;
            openByUid.computeIfPresent(c.uid, (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving, closes every connection, and removes the socket file if it is still the one this server bound. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        wakeup.signal();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rootLane.shutdownNow();
        userLane.shutdownNow();
        if (!loop.isAlive()) {
            for (Iterator<Conn> it = new ArrayList<>(conns.values()).iterator(); it.hasNext(); ) {
                drop(it.next());
            }
        }
        listener.close();
        wakeup.close();
        try {
            if (fileKey.equals(fileKey(path))) {
                Files.deleteIfExists(path);
            } else {
                LOG.warn("not removing {}: it is no longer the socket this daemon bound", path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }
}
