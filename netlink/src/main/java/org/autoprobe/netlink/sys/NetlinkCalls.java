package org.autoprobe.netlink.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The C library's socket calls, bound by JNA direct mapping (no argument boxing, so a receive
 * allocates nothing). Structures are passed as preallocated native memory; errno is read with
 * {@code org.autoprobe.core.sys.Errors}.
 *
 * <p>{@code ssize_t} results are declared {@code int}: the values (message sizes, -1) fit, and the
 * low half of the return register is the same on every ABI JNA supports.
 */
final class NetlinkCalls {
    static {
        Native.register(NetlinkCalls.class, Platform.C_LIBRARY_NAME);
    }

    private NetlinkCalls() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int addrlen);

    static native int getsockname(int fd, Pointer addr, Pointer addrlen);

    static native int setsockopt(int fd, int level, int name, Pointer value, int len);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len);

    static native int recvmsg(int fd, Pointer msghdr, int flags);

    static native int sendmsg(int fd, Pointer msghdr, int flags);

    static native int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

    static native int eventfd(int initval, int flags);

    static native int write(int fd, Pointer buf, NativeLong count);

    static native int close(int fd);
}
