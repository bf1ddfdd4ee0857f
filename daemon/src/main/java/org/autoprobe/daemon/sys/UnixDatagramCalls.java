package org.autoprobe.daemon.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The C library's calls for Unix datagram sockets, bound by JNA direct mapping. */
final class UnixDatagramCalls {
    static {
        Native.register(UnixDatagramCalls.class, Platform.C_LIBRARY_NAME);
    }

    private UnixDatagramCalls() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int addrlen);

    static native NativeLong sendto(int fd, Pointer buf, NativeLong len, int flags, Pointer addr, int addrlen);

    static native NativeLong recv(int fd, Pointer buf, NativeLong len, int flags);

    static native int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

    static native int close(int fd);
}
