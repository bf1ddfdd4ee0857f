package org.autoprobe.daemon.sys;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.sys.Errors;

/**
 * One connected Unix domain stream socket ({@code AF_UNIX, SOCK_STREAM}), always non-blocking:
 * {@link #read} and {@link #write} return 0 where the call would block, and the {@code await}
 * methods wait with {@code poll}. Unlike {@code java.nio}'s channels it gives the descriptor (for
 * an event loop's {@link Poll}) and the peer's numeric credentials ({@code SO_PEERCRED}). Each
 * failed call throws a {@link SyscallException} naming the call and the errno.
 */
public final class UnixStreamSocket implements Closeable {
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_PEERCRED = 17;
    static final int MSG_NOSIGNAL = 0x4000;

    /**
     * The peer's credentials as the kernel recorded them at {@code connect}: {@code struct ucred}.
     *
     * @param pid its process id
     * @param uid its effective user id: the number, never a name
     * @param gid its effective group id
     */
    public record Credentials(int pid, int uid, int gid) {
    }

    private final int fd;
    private final String name;
    private boolean closed;

    UnixStreamSocket(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Connects to the socket at {@code path}, trying for up to {@code timeoutMillis} while its
     * listen queue is full ({@code EAGAIN}).
     *
     * @throws SyscallException      for a refused or impossible connection (its {@code errno} says
     *                               which: {@code ECONNREFUSED} for a socket file nobody listens on)
     * @throws SocketTimeoutException when the listener stayed busy the whole time
     */
    public static UnixStreamSocket connect(String path, long timeoutMillis) throws IOException {
        UnixAddress a = UnixAddress.of(path);
        int fd = Errors.check(UnixStreamCalls.socket(UnixAddress.AF_UNIX,
                SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket", "AF_UNIX, SOCK_STREAM");
        UnixStreamSocket s = new UnixStreamSocket(fd, path);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            while (true) {
                if (Errors.restarting(() -> UnixStreamCalls.connect(fd, a.memory(), a.length())) == 0) {
                    return s;
                }
                Errno e = Errors.last();
                if (e.equals(Errno.EINPROGRESS)) {
                    // not done by AF_UNIX today; handled as for other sockets
                    if (!Poll.one(fd, Poll.POLLOUT, remaining(deadline))) {
                        throw new SocketTimeoutException("connect(" + path + ") timed out after " + timeoutMillis + " ms");
                    }
                    s.checkSocketError("connect");
                    return s;
                }
                if (!e.equals(Errno.EAGAIN)) {
                    throw new SyscallException("connect", path, e);
                }
                if (remaining(deadline) == 0) {
                    throw new SocketTimeoutException("connect(" + path + ") timed out after " + timeoutMillis
                            + " ms: its listen queue stayed full");
                }
                sleep(Math.min(20, remaining(deadline)));
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void checkSocketError(String call) throws IOException {
        Memory v = new Memory(4);
        Memory len = new Memory(4);
        len.setInt(0, 4);
        Errors.check(UnixStreamCalls.getsockopt(fd, SOL_SOCKET, 4 /* SO_ERROR */, v, len), "getsockopt", "SO_ERROR");
        if (v.getInt(0) > 0) {
            throw new SyscallException(call, name, Errno.of(v.getInt(0)));
        }
    }

    static int remaining(long deadline) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000L));
    }

    private static void sleep(int millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** The descriptor, for a {@link Poll}. */
    public int fd() {
        return fd;
    }

    /** The peer's credentials ({@code getsockopt(SO_PEERCRED)}). */
    public Credentials peer() throws IOException {
        Memory ucred = new Memory(12);
        Memory len = new Memory(4);
        len.setInt(0, 12);
        Errors.check(UnixStreamCalls.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, len), "getsockopt", "SO_PEERCRED");
        if (len.getInt(0) < 12) {
            throw new IOException("getsockopt(SO_PEERCRED) returned " + len.getInt(0) + " bytes, not a struct ucred");
        }
        return new Credentials(ucred.getInt(0), ucred.getInt(4), ucred.getInt(8));
    }

    /**
     * Reads what has arrived, up to {@code len} bytes.
     *
     * @return the count; 0 when nothing is there yet; -1 at end of stream
     */
    public int read(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        Memory buf = new Memory(len);
        NativeLong count = new NativeLong(len);
        long n = Errors.restarting(() -> UnixStreamCalls.read(fd, buf, count).longValue());
        if (n > 0) {
            buf.read(0, b, off, (int) n);
            return (int) n;
        }
        if (n == 0) {
            return -1;
        }
        if (Errors.last().equals(Errno.EAGAIN)) {
            return 0;
        }
        throw Errors.failure("read", name);
    }

    /**
     * Writes what fits now, up to {@code len} bytes (no {@code SIGPIPE}: a gone peer is an {@code EPIPE}).
     *
     * @return the count written; 0 when the socket's buffer is full
     */
    public int write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        Memory buf = new Memory(len);
        buf.write(0, b, off, len);
        NativeLong count = new NativeLong(len);
        long n = Errors.restarting(() -> UnixStreamCalls.send(fd, buf, count, MSG_NOSIGNAL).longValue());
        if (n >= 0) {
            return (int) n;
        }
        if (Errors.last().equals(Errno.EAGAIN)) {
            return 0;
        }
        throw Errors.failure("send", name);
    }

    /** Writes all of {@code b}, waiting while the buffer is full, until {@code deadline} ({@link System#nanoTime()}). */
    public void writeFully(byte[] b, long deadline) throws IOException {
        int done = 0;
        while (done < b.length) {
            int n = write(b, done, b.length - done);
            done += n;
            if (n == 0 && !Poll.one(fd, Poll.POLLOUT, remaining(deadline)) && remaining(deadline) == 0) {
                throw new SocketTimeoutException("write to " + name + " timed out");
            }
        }
    }

    /**
     * Reads once, waiting up to {@code deadline} ({@link System#nanoTime()}) for something to arrive.
     *
     * @return the count (at least 1), or -1 at end of stream
     * @throws SocketTimeoutException when nothing arrived in time
     */
    public int readAwait(byte[] b, int off, int len, long deadline) throws IOException {
        while (true) {
            int n = read(b, off, len);
            if (n != 0) {
                return n;
            }
            if (!Poll.one(fd, Poll.POLLIN, remaining(deadline)) && remaining(deadline) == 0) {
                throw new SocketTimeoutException("read from " + name + " timed out");
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("socket closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            UnixStreamCalls.close(fd);
        }
    }
}
