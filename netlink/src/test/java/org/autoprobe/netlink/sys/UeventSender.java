package org.autoprobe.netlink.sys;

import java.io.Closeable;
import java.lang.ref.Reference;

import com.sun.jna.Memory;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.sys.Errors;

/**
 * A plain netlink socket of the uevent family that sends raw messages: to a port (unicast), to a
 * multicast group (needs CAP_NET_ADMIN), or to the kernel (port 0, which re-broadcasts them). Tests
 * use it to forge messages; it is the forger the uevent socket must refuse. A test double: it lives
 * in netlink's test sources and test-jar, not in the production jar.
 */
public final class UeventSender implements Closeable {
    private final int fd;
    private final int port;
    private boolean closed;

    private UeventSender(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /** Opens a sender bound to a port of the kernel's choosing, in no group. */
    public static UeventSender open() throws SyscallException {
        int fd = Errors.check(NetlinkCalls.socket(Layout.AF_NETLINK, Layout.SOCK_RAW | Layout.SOCK_CLOEXEC,
                Layout.NETLINK_KOBJECT_UEVENT), "socket", "AF_NETLINK, NETLINK_KOBJECT_UEVENT");
        try {
            Errors.check(NetlinkCalls.bind(fd, Sockets.address(0, 0), Layout.SOCKADDR_NL), "bind", "uevent sender");
            return new UeventSender(fd, Sockets.port(fd, "uevent sender"));
        } catch (SyscallException e) {
            NetlinkCalls.close(fd);
            throw e;
        }
    }

    /** This sender's own port: what a receiver sees as the source {@code nl_pid}. */
    public int port() {
        return port;
    }

    /**
     * Sends {@code message[0, length)} to {@code destPort} and the {@code groups} mask with {@code sendmsg}.
     */
    public synchronized void send(byte[] message, int length, int destPort, int groups) throws SyscallException {
        if (closed) {
            throw new IllegalStateException("uevent sender closed");
        }
        Memory data = new Memory(Math.max(1, length));
        data.write(0, message, 0, length);
        Memory iov = new Memory(Layout.IOVEC);
        iov.setPointer(0, data);
        Layout.setSize(iov, Layout.PTR, length);
        Memory msg = new Memory(Layout.MSGHDR);
        msg.clear();
        Memory addr = Sockets.address(destPort, groups);
        msg.setPointer(Layout.MSG_NAME, addr);
        msg.setInt(Layout.MSG_NAMELEN, Layout.SOCKADDR_NL);
        msg.setPointer(Layout.MSG_IOV, iov);
        Layout.setSize(msg, Layout.MSG_IOVLEN, 1);
        try {
            Errors.check(NetlinkCalls.sendmsg(fd, msg, 0), "sendmsg",
                    "uevent sender to port " + Integer.toUnsignedString(destPort) + " groups " + groups);
        } finally {
            // the kernel reads these through msg's pointers: keep them from being freed before the call returns
            Reference.reachabilityFence(data);
            Reference.reachabilityFence(iov);
            Reference.reachabilityFence(addr);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            NetlinkCalls.close(fd);
        }
    }
}
