package org.autoprobe.netlink.sys;

import java.util.Locale;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Linux's socket constants and the layout of the structures the calls take, for the running
 * architecture ({@code struct msghdr}, {@code iovec}, {@code cmsghdr}, {@code sockaddr_nl},
 * {@code ucred}, {@code pollfd}).
 */
final class Layout {
    static final int AF_NETLINK = 16;
    static final int NETLINK_KOBJECT_UEVENT = 15;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 04000;
    static final int SOCK_CLOEXEC = 02000000;
    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;
    static final int SCM_CREDENTIALS = 2;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 1;

    static final int PTR = Native.POINTER_SIZE;
    static final int SIZE_T = Native.SIZE_T_SIZE;

    static final int SOCKADDR_NL = 12;
    static final int NL_PID = 4;
    static final int NL_GROUPS = 8;

    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = PTR;
    static final int MSG_IOV = align(PTR + 4, PTR);
    static final int MSG_IOVLEN = MSG_IOV + PTR;
    static final int MSG_CONTROL = align(MSG_IOVLEN + SIZE_T, PTR);
    static final int MSG_CONTROLLEN = MSG_CONTROL + PTR;
    static final int MSG_FLAGS = MSG_CONTROLLEN + SIZE_T;
    static final int MSGHDR = align(MSG_FLAGS + 4, PTR);

    static final int IOVEC = PTR + SIZE_T;

    static final int CMSG_LEVEL = SIZE_T;
    static final int CMSG_TYPE = SIZE_T + 4;
    static final int CMSG_DATA = align(SIZE_T + 8, SIZE_T);
    static final int UCRED = 12;
    /** Room for the credentials message and more (the kernel may add others). */
    static final int CONTROL = 2 * (CMSG_DATA + align(UCRED, SIZE_T)) + 64;

    static final int POLLFD = 8;

    private Layout() {
    }

    static int align(int n, int to) {
        return (n + to - 1) & -to;
    }

    static long getSize(Pointer p, long off) {
        return SIZE_T == 8 ? p.getLong(off) : p.getInt(off) & 0xffffffffL;
    }

    static void setSize(Pointer p, long off, long value) {
        if (SIZE_T == 8) {
            p.setLong(off, value);
        } else {
            p.setInt(off, (int) value);
        }
    }

    /** {@code SO_PASSCRED} for {@code os.arch}; only powerpc differs among the architectures we support. */
    static int soPasscred(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x86", "i386", "i686", "aarch64", "arm64", "arm", "riscv64", "s390x",
                    "loongarch64" -> 16;
            case "ppc64", "ppc64le", "ppc" -> 20;
            default -> throw new UnsupportedOperationException(
                    "uevent socket: socket option numbers unknown on architecture " + arch);
        };
    }
}
