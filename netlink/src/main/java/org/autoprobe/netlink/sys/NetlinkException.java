package org.autoprobe.netlink.sys;

import java.io.IOException;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;

/**
 * A socket call the kernel refused, naming the call, what it was for, and the errno:
 * {@code bind(uevent socket, group 1) failed: EPERM (Operation not permitted)}.
 */
public final class NetlinkException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final transient Errno errno;

    public NetlinkException(String call, String what, Errno errno) {
        super(call + "(" + what + ") failed: " + errno);
        this.call = Objects.requireNonNull(call, "call");
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /** The C call that failed, {@code recvmsg}. */
    public String call() {
        return call;
    }

    public Errno errno() {
        return errno;
    }
}
