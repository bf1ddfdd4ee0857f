package org.autoprobe.daemon.sys;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import org.autoprobe.core.errno.Errno;

/**
 * A Unix domain datagram socket ({@code AF_UNIX, SOCK_DGRAM}), which {@code java.nio} cannot make:
 * systemd's {@code NOTIFY_SOCKET} is one. Addresses are file paths, or abstract names written
 * with a leading {@code @}. Each failed call throws an {@link IOException} naming the call, the
 * address and the errno.
 */
public final class UnixDatagramSocket implements Closeable {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_DONTWAIT = 0x40;
    static final int POLLIN = 1;
    static final int EINTR = 4;
    /** {@code sizeof(sa_family_t)}: where {@code sun_path} starts. */
    static final int PATH_OFFSET = 2;
    /** {@code sizeof(sun_path)}. */
    static final int PATH_MAX = 108;

    private final int fd;
    private boolean closed;

    private UnixDatagramSocket(int fd) {
        this.fd = fd;
    }

    /** An unbound socket, for sending. */
    public static UnixDatagramSocket open() throws IOException {
        int fd = UnixDatagramCalls.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket", "AF_UNIX, SOCK_DGRAM");
        }
        return new UnixDatagramSocket(fd);
    }

    /** A socket bound to {@code address} (a path, or {@code @name} for the abstract namespace), for receiving. */
    public static UnixDatagramSocket bind(String address) throws IOException {
        UnixDatagramSocket s = open();
        Address a = Address.of(address);
        if (UnixDatagramCalls.bind(s.fd, a.memory, a.length) < 0) {
            IOException e = failure("bind", address);
            s.close();
            throw e;
        }
        return s;
    }

    /** Sends one datagram to {@code address}. */
    public synchronized void send(String address, byte[] message) throws IOException {
        ensureOpen();
        Address a = Address.of(address);
        Memory buf = new Memory(Math.max(1, message.length));
        buf.write(0, message, 0, message.length);
        long n = UnixDatagramCalls.sendto(fd, buf, new NativeLong(message.length), MSG_NOSIGNAL, a.memory, a.length)
                .longValue();
        if (n < 0) {
            throw failure("sendto", address);
        }
        if (n != message.length) {
            throw new IOException("sendto(" + address + ") sent " + n + " of " + message.length + " bytes");
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for one datagram.
     *
     * @return its bytes (at most {@code max}), or null on timeout
     */
    public byte[] receive(int max, int timeoutMillis) throws IOException {
        ensureOpen();
        Memory pfd = new Memory(8);
        pfd.clear();
        pfd.setInt(0, fd);
        pfd.setShort(4, (short) POLLIN);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            int rc = UnixDatagramCalls.poll(pfd, new NativeLong(1), left);
            if (rc < 0 && Native.getLastError() == EINTR) {
                continue;
            }
            if (rc < 0) {
                throw failure("poll", "unix datagram socket");
            }
            if (rc == 0) {
                return null;
            }
            Memory buf = new Memory(Math.max(1, max));
            long n = UnixDatagramCalls.recv(fd, buf, new NativeLong(max), MSG_DONTWAIT).longValue();
            if (n < 0) {
                throw failure("recv", "unix datagram socket");
            }
            return buf.getByteArray(0, (int) n);
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
            UnixDatagramCalls.close(fd);
        }
    }

    private static IOException failure(String call, String what) {
        int e = Native.getLastError();
        return new IOException(call + "(" + what + ") failed: " + Errno.of(e > 0 ? e : Errno.EIO.value()));
    }

    /** A {@code struct sockaddr_un} and its length. */
    private record Address(Memory memory, int length) {
        static Address of(String address) {
            if (address == null || address.isEmpty() || (address.charAt(0) != '/' && address.charAt(0) != '@')) {
                throw new IllegalArgumentException("not a unix socket address (must start with / or @): " + address);
            }
            byte[] path = address.getBytes(StandardCharsets.UTF_8);
            boolean abstractName = path[0] == '@';
            if (abstractName) {
                path = Arrays.copyOf(path, path.length);
                path[0] = 0;
            }
            int used = abstractName ? path.length : path.length + 1;
            if (used > PATH_MAX) {
                throw new IllegalArgumentException("unix socket address too long (" + path.length + " bytes): " + address);
            }
            Memory m = new Memory(PATH_OFFSET + PATH_MAX);
            m.clear();
            m.setShort(0, (short) AF_UNIX);
            m.write(PATH_OFFSET, path, 0, path.length);
            return new Address(m, PATH_OFFSET + used);
        }
    }
}
