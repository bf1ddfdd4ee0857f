package org.autoprobe.daemon.sys;

import java.io.Closeable;
import java.io.IOException;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.sys.Errors;

/**
 * A listening Unix domain stream socket bound to a path ({@code socket(AF_UNIX, SOCK_STREAM |
 * SOCK_CLOEXEC | SOCK_NONBLOCK)}, {@code bind}, {@code listen}), accepting without blocking.
 *
 * <p>It keeps one spare descriptor (on {@code /dev/null}) for the day the process runs out:
 * {@link #shed()} gives it up, accepts the waiting connection and closes it at once, then takes
 * the spare again, so a full descriptor table drains the listen queue instead of leaving the
 * listener readable forever (which makes a poll loop spin).
 */
public final class UnixStreamListener implements Closeable {
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    private final int fd;
    private final String path;
    /** {@code accept4}, made with the listener: nothing is left to load when the descriptors run out. */
    private final Errors.IntCall acceptCall;
    private int spare;
    private boolean closed;

    private UnixStreamListener(int fd, String path) {
        this.fd = fd;
        this.path = path;
        this.spare = -1;
        this.acceptCall = () -> UnixStreamCalls.accept4(fd, null, null,
                UnixStreamSocket.SOCK_NONBLOCK | UnixStreamSocket.SOCK_CLOEXEC);
    }

    /** Binds a new socket to {@code path} (which must not exist) and listens with {@code backlog}. */
    public static UnixStreamListener bind(String path, int backlog) throws IOException {
        UnixAddress a = UnixAddress.of(path);
        int fd = Errors.check(UnixStreamCalls.socket(UnixAddress.AF_UNIX,
                UnixStreamSocket.SOCK_STREAM | UnixStreamSocket.SOCK_NONBLOCK | UnixStreamSocket.SOCK_CLOEXEC, 0),
                "socket", "AF_UNIX, SOCK_STREAM");
        UnixStreamListener l = new UnixStreamListener(fd, path);
        try {
            Errors.check(UnixStreamCalls.bind(fd, a.memory(), a.length()), "bind", path);
            Errors.check(UnixStreamCalls.listen(fd, backlog), "listen", path);
            l.takeSpare();
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    /** The descriptor, for a {@link Poll}. */
    public int fd() {
        return fd;
    }

    public String path() {
        return path;
    }

    /**
     * Accepts one waiting connection.
     *
     * @return it, or null when none is waiting
     * @throws SyscallException when the call fails; {@link #outOfFileDescriptors(SyscallException)}
     *                          says whether {@link #shed()} is the remedy
     */
    public UnixStreamSocket accept() throws IOException {
        int c = Errors.restarting(acceptCall);
        if (c >= 0) {
            return new UnixStreamSocket(c, path);
        }
        if (Errors.last().equals(Errno.EAGAIN)) {
            return null;
        }
        throw Errors.failure("accept4", path);
    }

    /**
     * Whether {@code e} is the process ({@code EMFILE}) or the system ({@code ENFILE}) running out of
     * file descriptors: the failure {@link #shed()} is for.
     */
    public static boolean outOfFileDescriptors(SyscallException e) {
        return e.errno().equals(Errno.EMFILE) || e.errno().equals(Errno.ENFILE);
    }

    /**
     * Loads the classes that describing a failed {@link #accept()} needs, while the process still has
     * descriptors to load them with (a class read from a directory needs one).
     */
    public static void preload() {
        SyscallException e = new SyscallException("accept4", "preload", Errno.EMFILE);
        e.getMessage();
        outOfFileDescriptors(e);
        Errors.last();
    }

    /** Whether the spare descriptor is held (after a {@link #shed()} another thread may have taken the number). */
    public boolean hasSpare() {
        return spare >= 0;
    }

    /** Takes the spare descriptor if it is not held; false when that fails (the table is still full). */
    public boolean takeSpare() {
        if (spare < 0) {
            spare = UnixStreamCalls.open("/dev/null", O_RDONLY | O_CLOEXEC);
        }
        return spare >= 0;
    }

    /**
     * With the descriptor table full: frees the spare, accepts one waiting connection and closes
     * it, takes the spare again.
     *
     * @return whether a connection was shed (false: none was waiting, or no spare was held)
     */
    public boolean shed() throws IOException {
        if (spare < 0) {
            return false;
        }
        UnixStreamCalls.close(spare);
        spare = -1;
        try {
            UnixStreamSocket c = accept();
            if (c == null) {
                return false;
            }
            c.close();
            return true;
        } finally {
            takeSpare();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            UnixStreamCalls.close(fd);
            if (spare >= 0) {
                UnixStreamCalls.close(spare);
                spare = -1;
            }
        }
    }
}
