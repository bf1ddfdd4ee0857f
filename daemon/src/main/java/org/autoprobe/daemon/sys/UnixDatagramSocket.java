package org.autoprobe.daemon.sys;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.sys.Errors;

/**
 * A Unix domain datagram socket ({@code AF_UNIX, SOCK_DGRAM}), which {@code java.nio} cannot make:
 * systemd's {@code NOTIFY_SOCKET} is one. Addresses are file paths, or abstract names written
 * with a leading {@code @}. Each failed call throws a {@link SyscallException} naming the call, the
 * address and the errno.
 */
public final class UnixDatagramSocket implements Closeable {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_DONTWAIT = 0x40;
    static final int POLLIN = 1;
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
        int fd = Errors.check(UnixDatagramCalls.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0),
                "socket", "AF_UNIX, SOCK_DGRAM");
        return new UnixDatagramSocket(fd);
    }

    /** A socket bound to {@code address} (a path, or {@code @name} for the abstract namespace), for receiving. */
    public static UnixDatagramSocket bind(String address) throws IOException {
        UnixDatagramSocket s = open();
        Address a = Address.of(address);
        if (UnixDatagramCalls.bind(s.fd, a.memory, a.length) < 0) {
            SyscallException e = Errors.failure("bind", address); // before close() leaves its own errno
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
        long n = Errors.check(UnixDatagramCalls.sendto(fd, buf, new NativeLong(message.length), MSG_NOSIGNAL, a.memory,
                a.length).longValue(), "sendto", address);
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
        NativeLong one = new NativeLong(1);
        int rc = Errors.check(Errors.restarting(() -> UnixDatagramCalls.poll(pfd, one,
                (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L))), "poll", "unix datagram socket");
        if (rc == 0) {
            return null;
        }
        Memory buf = new Memory(Math.max(1, max));
        long n = Errors.check(UnixDatagramCalls.recv(fd, buf, new NativeLong(max), MSG_DONTWAIT).longValue(),
                "recv", "unix datagram socket");
        return buf.getByteArray(0, (int) n);
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
