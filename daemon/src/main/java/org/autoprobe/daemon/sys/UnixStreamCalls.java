package org.autoprobe.daemon.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** The C library's calls for Unix stream sockets (and the few file calls around them), by JNA direct mapping. */
final class UnixStreamCalls {
    static {
        Native.register(UnixStreamCalls.class, Platform.C_LIBRARY_NAME);
    }

    private UnixStreamCalls() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, Pointer addr, int addrlen);

    static native int listen(int fd, int backlog);

    static native int accept4(int fd, Pointer addr, Pointer addrlen, int flags);

    static native int connect(int fd, Pointer addr, int addrlen);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer len);

    static native int poll(Pointer fds, NativeLong nfds, int timeoutMillis);

    static native NativeLong read(int fd, Pointer buf, NativeLong len);

    static native NativeLong write(int fd, Pointer buf, NativeLong len);

    static native NativeLong send(int fd, Pointer buf, NativeLong len, int flags);

    static native int open(String path, int flags);

    static native int pipe2(Pointer fds, int flags);

    static native int close(int fd);

    static native int getpwuid_r(int uid, Pointer pwd, Pointer buf, NativeLong buflen, Pointer result);
}
