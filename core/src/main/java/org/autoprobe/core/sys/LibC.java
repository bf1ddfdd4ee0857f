package org.autoprobe.core.sys;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The C library functions the module calls need; the errno a failed call left is read by {@link Errors}. */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 02000000;

    /** {@code long syscall(long number, ...)}. */
    NativeLong syscall(NativeLong number, Object... args);

    int open(String path, int flags);

    int close(int fd);

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    NativeLong read(int fd, byte[] buf, NativeLong count);

    String strerror(int errnum);

    /** {@code openlog(3)}: glibc keeps the ident pointer, so it must stay valid until closelog. */
    void openlog(Pointer ident, int option, int facility);

    /** {@code syslog(3)}; callers pass {@code "%s"}-style formats only. */
    void syslog(int priority, String format, Object... args);

    void closelog();
}
