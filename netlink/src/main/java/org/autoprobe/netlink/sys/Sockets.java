package org.autoprobe.netlink.sys;

import com.sun.jna.Memory;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.sys.Errors;

/** Netlink addresses shared by the socket classes. */
final class Sockets {
    private Sockets() {
    }

    /** A {@code struct sockaddr_nl} for {@code port} and the {@code groups} mask. */
    static Memory address(int port, int groups) {
        Memory a = new Memory(Layout.SOCKADDR_NL);
        a.clear();
        a.setShort(0, (short) Layout.AF_NETLINK);
        a.setInt(Layout.NL_PID, port);
        a.setInt(Layout.NL_GROUPS, groups);
        return a;
    }

    /** The port the kernel gave the bound socket {@code fd}. */
    static int port(int fd, String what) throws SyscallException {
        Memory a = new Memory(Layout.SOCKADDR_NL);
        a.clear();
        Memory len = new Memory(4);
        len.setInt(0, Layout.SOCKADDR_NL);
        Errors.check(NetlinkCalls.getsockname(fd, a, len), "getsockname", what);
        return a.getInt(Layout.NL_PID);
    }
}
