package org.autoprobe.netlink.sys;

import java.util.concurrent.locks.ReentrantLock;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.sys.Errors;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.SeqnumTracker;
import org.autoprobe.netlink.uevent.UeventCounters;
import org.autoprobe.netlink.uevent.UeventIntake;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.autoprobe.netlink.uevent.UeventSource;

/**
 * The kernel's uevent socket: {@code socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC,
 * NETLINK_KOBJECT_UEVENT)} bound to multicast group 1 with {@code SO_PASSCRED}, its receive buffer
 * forced up for boot storms. Each receive reads one message with its source address and
 * credentials into preallocated native memory and hands it to a {@link UeventIntake}, which drops
 * anything that is not from the kernel. An eventfd lets {@link #close()} wake a waiting reader.
 */
public final class UeventSocket implements UeventSource {
    /** udevd's choice: 128 MiB, enough for a boot storm. */
    public static final int DEFAULT_RECEIVE_BUFFER = 128 * 1024 * 1024;
    /** Native receive area: twice the largest kernel uevent, so anything bigger shows as oversize. */
    static final int BUFFER = 2 * UeventSlot.MAX_MESSAGE_BYTES;
    private static final NativeLong TWO = new NativeLong(2);
    private static final NativeLong EIGHT = new NativeLong(8);

    private final int fd;
    private final int wakeFd;
    private final int port;
    private final boolean forced;
    private final int granted;
    private final UeventIntake intake;
    private final Memory msg = new Memory(Layout.MSGHDR);
    private final Memory iov = new Memory(Layout.IOVEC);
    private final Memory name = new Memory(Layout.SOCKADDR_NL);
    private final Memory control = new Memory(Layout.CONTROL);
    private final Memory buf = new Memory(BUFFER);
    private final Memory pollfds = new Memory(2L * Layout.POLLFD);
    private final Memory one = new Memory(8);
    private final byte[] scratch = new byte[BUFFER];
    private final ReentrantLock reader = new ReentrantLock();
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private boolean released;

    private UeventSocket(int fd, int wakeFd, int port, boolean forced, int granted, UeventIntake intake) {
        this.fd = fd;
        this.granted = granted;
        this.wakeFd = wakeFd;
        this.port = port;
        this.forced = forced;
        this.intake = intake;
        msg.clear();
        msg.setPointer(Layout.MSG_NAME, name);
        msg.setPointer(Layout.MSG_IOV, iov);
        Layout.setSize(msg, Layout.MSG_IOVLEN, 1);
        msg.setPointer(Layout.MSG_CONTROL, control);
        iov.setPointer(0, buf);
        Layout.setSize(iov, Layout.PTR, BUFFER);
        pollfds.clear();
        pollfds.setInt(0, fd);
        pollfds.setShort(4, Layout.POLLIN);
        pollfds.setInt(Layout.POLLFD, wakeFd);
        pollfds.setShort(Layout.POLLFD + 4, Layout.POLLIN);
        one.setLong(0, 1);
    }

    /** Opens the socket with {@link #DEFAULT_RECEIVE_BUFFER}. */
    public static UeventSocket open() throws SyscallException {
        return open(DEFAULT_RECEIVE_BUFFER, new UeventIntake());
    }

    /**
     * Opens, sizes and binds the socket.
     *
     * @param receiveBuffer the receive buffer to ask for, in bytes: {@code SO_RCVBUFFORCE} (which
     *                      needs CAP_NET_ADMIN), else {@code SO_RCVBUF} (capped by
     *                      {@code net.core.rmem_max}); the kernel doubles it for bookkeeping
     * @param intake        the policy that judges, parses and counts what arrives
     */
    public static UeventSocket open(int receiveBuffer, UeventIntake intake) throws SyscallException {
        if (receiveBuffer <= 0) {
            throw new IllegalArgumentException("receive buffer must be positive: " + receiveBuffer);
        }
        int passcred = Layout.soPasscred(System.getProperty("os.arch"));
        int fd = Errors.check(NetlinkCalls.socket(Layout.AF_NETLINK,
                Layout.SOCK_RAW | Layout.SOCK_CLOEXEC | Layout.SOCK_NONBLOCK, Layout.NETLINK_KOBJECT_UEVENT),
                "socket", "AF_NETLINK, NETLINK_KOBJECT_UEVENT");
        int wake = -1;
        try {
            boolean forced = setInt(fd, Layout.SO_RCVBUFFORCE, receiveBuffer) == 0;
            if (!forced) {
                Errno e = Errors.last();
                if (!e.equals(Errno.EPERM)) {
                    throw new SyscallException("setsockopt", "uevent socket, SO_RCVBUFFORCE " + receiveBuffer, e);
                }
                Errors.check(setInt(fd, Layout.SO_RCVBUF, receiveBuffer),
                        "setsockopt", "uevent socket, SO_RCVBUF " + receiveBuffer);
            }
            Errors.check(setInt(fd, passcred, 1), "setsockopt", "uevent socket, SO_PASSCRED");
            Memory addr = Sockets.address(0, 1);
            Errors.check(NetlinkCalls.bind(fd, addr, Layout.SOCKADDR_NL), "bind", "uevent socket, group 1");
            int port = Sockets.port(fd, "uevent socket");
            wake = Errors.check(NetlinkCalls.eventfd(0, Layout.EFD_CLOEXEC | Layout.EFD_NONBLOCK),
                    "eventfd", "uevent socket wake-up");
            Memory v = new Memory(4);
            Memory len = new Memory(4);
            len.setInt(0, 4);
            Errors.check(NetlinkCalls.getsockopt(fd, Layout.SOL_SOCKET, Layout.SO_RCVBUF, v, len),
                    "getsockopt", "uevent socket, SO_RCVBUF");
            return new UeventSocket(fd, wake, port, forced, v.getInt(0), intake);
        } catch (SyscallException | RuntimeException e) {
            NetlinkCalls.close(fd);
            if (wake >= 0) {
                NetlinkCalls.close(wake);
            }
            throw e;
        }
    }

    private static int setInt(int fd, int option, int value) {
        Memory v = new Memory(4);
        v.setInt(0, value);
        return NetlinkCalls.setsockopt(fd, Layout.SOL_SOCKET, option, v, 4);
    }

    /** The socket's netlink port ({@code nl_pid}) the kernel assigned at bind. */
    public int port() {
        return port;
    }

    /** Whether {@code SO_RCVBUFFORCE} was allowed (else the size was capped by {@code rmem_max}). */
    public boolean receiveBufferForced() {
        return forced;
    }

    /** The receive buffer the kernel granted at open ({@code SO_RCVBUF} read back: twice what was asked). */
    public int receiveBuffer() {
        return granted;
    }

    @Override
    public UeventCounters counters() {
        return intake.counters();
    }

    @Override
    public SeqnumTracker seqnums() {
        return intake.seqnums();
    }

    @Override
    public ReceiveOutcome receive(UeventSlot slot, long timeoutMillis) throws SyscallException {
        if (!reader.tryLock()) {
            if (closed) {
                return intake.idle(ReceiveOutcome.CLOSED);
            }
            throw new IllegalStateException("another thread is already receiving on this uevent socket");
        }
        try {
            long deadline = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : 0;
            while (true) {
                if (closed) {
                    return intake.idle(ReceiveOutcome.CLOSED);
                }
                msg.setInt(Layout.MSG_NAMELEN, Layout.SOCKADDR_NL);
                Layout.setSize(msg, Layout.MSG_CONTROLLEN, Layout.CONTROL);
                msg.setInt(Layout.MSG_FLAGS, 0);
                int n = NetlinkCalls.recvmsg(fd, msg, Layout.MSG_DONTWAIT);
                if (n >= 0) {
                    return deliver(n, slot);
                }
                Errno e = Errors.last();
                if (e.equals(Errno.ENOBUFS)) {
                    return intake.overflow();
                }
                if (e.equals(Errno.EINTR)) {
                    continue; // interrupted: see whether it was closed meanwhile, then again
                }
                if (!e.equals(Errno.EAGAIN)) {
                    throw new SyscallException("recvmsg", "uevent socket", e);
                }
                int wait;
                if (timeoutMillis < 0) {
                    wait = -1;
                } else if (timeoutMillis == 0) {
                    return intake.idle(ReceiveOutcome.TIMEOUT);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return intake.idle(ReceiveOutcome.TIMEOUT);
                    }
                    wait = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                }
                int rc = NetlinkCalls.poll(pollfds, TWO, wait);
                if (rc < 0 && !Errors.interrupted()) {
                    throw Errors.failure("poll", "uevent socket");
                }
            }
        } finally {
            reader.unlock();
        }
    }

    private ReceiveOutcome deliver(int n, UeventSlot slot) {
        int groups = name.getInt(Layout.NL_GROUPS);
        int srcPort = name.getInt(Layout.NL_PID);
        boolean truncated = (msg.getInt(Layout.MSG_FLAGS) & Layout.MSG_TRUNC) != 0;
        long controlLen = Layout.getSize(msg, Layout.MSG_CONTROLLEN);
        boolean creds = false;
        int pid = 0;
        int uid = -1;
        int gid = -1;
        long off = 0;
        while (off + Layout.CMSG_DATA <= controlLen) {
            long len = Layout.getSize(control, off);
            if (len < Layout.CMSG_DATA || off + len > controlLen) {
                break;
            }
            if (control.getInt(off + Layout.CMSG_LEVEL) == Layout.SOL_SOCKET
                    && control.getInt(off + Layout.CMSG_TYPE) == Layout.SCM_CREDENTIALS
                    && len >= Layout.CMSG_DATA + Layout.UCRED) {
                creds = true;
                pid = control.getInt(off + Layout.CMSG_DATA);
                uid = control.getInt(off + Layout.CMSG_DATA + 4);
                gid = control.getInt(off + Layout.CMSG_DATA + 8);
            }
            off += Layout.align((int) len, Layout.SIZE_T);
        }
        int len = Math.min(n, BUFFER);
        buf.read(0, scratch, 0, len);
        slot.setSender(srcPort, groups, creds, pid, uid, gid);
        return intake.accept(scratch, 0, len, truncated, slot);
    }

    /** Closes the socket; a receive waiting in another thread wakes and returns CLOSED. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        NetlinkCalls.write(wakeFd, one, EIGHT); // the fds are released below, never before this
        reader.lock();
        try {
            if (!released) {
                released = true;
                NetlinkCalls.close(fd);
                NetlinkCalls.close(wakeFd);
            }
        } finally {
            reader.unlock();
        }
    }
}
