package org.autoprobe.daemon.sys;

import java.io.Closeable;
import java.io.IOException;

import com.sun.jna.Native;

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
    private int spare;
    private boolean closed;

    private UnixStreamListener(int fd, String path) {
        this.fd = fd;
        this.path = path;
        this.spare = -1;
    }

    /** Binds a new socket to {@code path} (which must not exist) and listens with {@code backlog}. */
    public static UnixStreamListener bind(String path, int backlog) throws IOException {
        UnixAddress a = UnixAddress.of(path);
        int fd = UnixStreamCalls.socket(UnixAddress.AF_UNIX,
                UnixStreamSocket.SOCK_STREAM | UnixStreamSocket.SOCK_NONBLOCK | UnixStreamSocket.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw UnixSocketException.last("socket", "AF_UNIX, SOCK_STREAM");
        }
        UnixStreamListener l = new UnixStreamListener(fd, path);
        try {
            if (UnixStreamCalls.bind(fd, a.memory(), a.length()) < 0) {
                throw UnixSocketException.last("bind", path);
            }
            if (UnixStreamCalls.listen(fd, backlog) < 0) {
                throw UnixSocketException.last("listen", path);
            }
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
     * @throws UnixSocketException when the call fails; {@link UnixSocketException#outOfFileDescriptors()}
     *                             says whether {@link #shed()} is the remedy
     */
    public UnixStreamSocket accept() throws IOException {
        while (true) {
            int c = UnixStreamCalls.accept4(fd, null, null, UnixStreamSocket.SOCK_NONBLOCK | UnixStreamSocket.SOCK_CLOEXEC);
            if (c >= 0) {
                return new UnixStreamSocket(c, path);
            }
            int e = Native.getLastError();
            if (e == UnixSocketException.Native.EAGAIN) {
                return null;
            }
            if (e != UnixSocketException.Native.EINTR) {
                throw new UnixSocketException("accept4", path, e);
            }
        }
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
