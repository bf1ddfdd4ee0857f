package org.autoprobe.daemon.sys;

import java.io.IOException;

import org.autoprobe.core.errno.Errno;

/** A failed socket call: its message names the call, what it was on, and the errno with its text. */
public final class UnixSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    UnixSocketException(String call, String what, int errno) {
        super(call + "(" + what + ") failed: " + Errno.of(errno > 0 ? errno : Errno.EIO.value()));
        this.errno = errno > 0 ? errno : Errno.EIO.value();
    }

    /** The errno the call left. */
    public int errno() {
        return errno;
    }

    /** Whether this is the process ({@code EMFILE}) or the system ({@code ENFILE}) running out of file descriptors. */
    public boolean outOfFileDescriptors() {
        return errno == Native.EMFILE || errno == Native.ENFILE;
    }

    /** The errno numbers this package tests for (Linux, all architectures the project builds for). */
    static final class Native {
        static final int EINTR = 4;
        static final int EAGAIN = 11;
        static final int ENFILE = 23;
        static final int EMFILE = 24;
        static final int ECONNREFUSED = 111;
        static final int EINPROGRESS = 115;
        static final int ERANGE = 34;

        private Native() {
        }
    }

    /**
     * Loads the classes that describing a failure needs, while the process still has descriptors
     * to load them with (a class read from a directory needs one).
     */
    public static void preload() {
        new UnixSocketException("accept4", "preload", Native.EMFILE).getMessage();
    }

    /** The errno the last native call left, as an exception. */
    static UnixSocketException last(String call, String what) {
        return new UnixSocketException(call, what, com.sun.jna.Native.getLastError());
    }
}
