package org.autoprobe.daemon.sys;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import org.autoprobe.core.errno.Errno;

/** User names for user ids, for log lines only: decisions are made on the number. */
public final class Users {
    /** {@code sizeof(struct passwd)} on LP64 Linux (seven fields: 5 pointers, uid, gid), with room to spare. */
    private static final int PASSWD = 64;

    private Users() {
    }

    /** The login name of {@code uid} ({@code getpwuid_r}), or null when there is none or the lookup fails. */
    public static String name(int uid) {
        for (int size = 1024; size <= 1 << 20; size *= 4) {
            Memory pwd = new Memory(PASSWD);
            Memory buf = new Memory(size);
            Memory result = new Memory(com.sun.jna.Native.POINTER_SIZE);
            result.setPointer(0, null);
            int rc = UnixStreamCalls.getpwuid_r(uid, pwd, buf, new NativeLong(size), result);
            if (rc > 0 && Errno.of(rc).equals(Errno.ERANGE)) { // getpwuid_r returns its errno
                continue;
            }
            if (rc != 0 || result.getPointer(0) == null) {
                return null;
            }
            Pointer name = pwd.getPointer(0);
            return name == null ? null : name.getString(0);
        }
        return null;
    }

    /** {@code uid N (name)}, or {@code uid N} when the number has no name. */
    public static String describe(int uid) {
        String n = name(uid);
        return n == null ? "uid " + Integer.toUnsignedString(uid) : "uid " + Integer.toUnsignedString(uid) + " (" + n + ")";
    }
}
