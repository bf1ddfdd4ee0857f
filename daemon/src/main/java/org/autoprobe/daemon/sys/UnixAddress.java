package org.autoprobe.daemon.sys;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;

/** A {@code struct sockaddr_un} for a file path, and its length. */
record UnixAddress(Memory memory, int length) {
    static final int AF_UNIX = 1;
    /** {@code sizeof(sa_family_t)}: where {@code sun_path} starts. */
    static final int PATH_OFFSET = 2;
    /** {@code sizeof(sun_path)}. */
    static final int PATH_MAX = 108;

    static UnixAddress of(String path) {
        if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a unix socket path: " + path);
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 1 > PATH_MAX) {
            throw new IllegalArgumentException("unix socket path too long (" + bytes.length + " bytes, at most "
                    + (PATH_MAX - 1) + "): " + path);
        }
        Memory m = new Memory(PATH_OFFSET + PATH_MAX);
        m.clear();
        m.setShort(0, (short) AF_UNIX);
        m.write(PATH_OFFSET, bytes, 0, bytes.length);
        return new UnixAddress(m, PATH_OFFSET + bytes.length + 1);
    }
}
