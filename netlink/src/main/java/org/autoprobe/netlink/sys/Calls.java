package org.autoprobe.netlink.sys;

import com.sun.jna.Native;

import org.autoprobe.core.errno.Errno;

/** Result checking shared by the socket classes: -1 becomes a {@link NetlinkException}. */
final class Calls {
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EPERM = 1;

    private Calls() {
    }

    /** The thread's errno after a failed call (EIO if the C library left none). */
    static int errno() {
        int e = Native.getLastError();
        return e > 0 ? e : Errno.EIO.value();
    }

    /** Returns {@code rc}, or throws naming {@code call} if it is negative. */
    static int check(String call, String what, int rc) throws NetlinkException {
        if (rc < 0) {
            throw new NetlinkException(call, what, Errno.of(errno()));
        }
        return rc;
    }

    static NetlinkException failure(String call, String what, int errno) {
        return new NetlinkException(call, what, Errno.of(errno));
    }
}
