package org.autoprobe.netlink.uevent;

/**
 * Parses the kernel's uevent format into a {@link UeventSlot}: {@code ACTION@DEVPATH\0} then
 * {@code KEY=VALUE\0} variables, ACTION, DEVPATH, SUBSYSTEM and SEQNUM among them. Copies the
 * bytes into the slot and records offsets: nothing is allocated. Arbitrary bytes never throw;
 * they are rejected with a {@link Rejection}.
 */
public final class UeventParser {
    /** udev's floor for any uevent message. */
    public static final int MIN_MESSAGE_BYTES = 32;

    private static final byte[] LIBUDEV = {'l', 'i', 'b', 'u', 'd', 'e', 'v', 0};
    private static final byte[] ACTION = key("ACTION");
    private static final byte[] DEVPATH = key("DEVPATH");
    private static final byte[] SUBSYSTEM = key("SUBSYSTEM");
    private static final byte[] SEQNUM = key("SEQNUM");

    private UeventParser() {
    }

    private static byte[] key(String k) {
        return k.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Parses {@code src[off, off+len)} into {@code slot}.
     *
     * @return {@link ReceiveOutcome#EVENT}, {@link ReceiveOutcome#LIBUDEV} or
     *         {@link ReceiveOutcome#MALFORMED} (then {@link UeventSlot#rejection()} says why)
     */
    public static ReceiveOutcome parse(byte[] src, int off, int len, UeventSlot slot) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        slot.clear();
        if (len > UeventSlot.MAX_MESSAGE_BYTES) {
            return reject(slot, Rejection.OVERSIZE);
        }
        byte[] d = slot.data;
        System.arraycopy(src, off, d, 0, len);
        slot.length = len;
        if (startsWith(d, len, LIBUDEV)) {
            return ReceiveOutcome.LIBUDEV;
        }
        if (len < MIN_MESSAGE_BYTES) {
            return reject(slot, Rejection.TOO_SHORT);
        }
        if (d[len - 1] != 0) {
            return reject(slot, Rejection.UNTERMINATED);
        }
        int headerEnd = indexOf(d, 0, len, (byte) 0);
        int at = indexOf(d, 0, headerEnd, (byte) '@');
        if (at <= 0 || at + 1 >= headerEnd || d[at + 1] != '/') {
            return reject(slot, Rejection.BAD_HEADER);
        }
        UeventAction action = UeventAction.of(d, 0, at);
        if (action == null) {
            return reject(slot, Rejection.UNKNOWN_ACTION);
        }
        int bodyStart = headerEnd + 1;
        if (len - bodyStart > UeventSlot.MAX_BODY_BYTES) {
            return reject(slot, Rejection.OVERSIZE);
        }
        Rejection r = variables(slot, bodyStart, len);
        if (r == null) {
            r = core(slot, at, headerEnd);
        }
        if (r != null) {
            slot.count = 0;
            return reject(slot, r);
        }
        slot.action = action;
        return ReceiveOutcome.EVENT;
    }

    /** Splits the body into variables and records where each name and value lies. */
    private static Rejection variables(UeventSlot slot, int from, int len) {
        byte[] d = slot.data;
        int n = 0;
        int start = from;
        while (start < len) {
            int end = indexOf(d, start, len, (byte) 0);
            if (end == start) {
                return Rejection.EMPTY_ENTRY;
            }
            int eq = indexOf(d, start, end, (byte) '=');
            if (eq == end) {
                return Rejection.NO_EQUALS;
            }
            if (eq == start || !printableName(d, start, eq)) {
                return Rejection.BAD_KEY;
            }
            if (n == UeventSlot.MAX_VARIABLES) {
                return Rejection.OVERSIZE;
            }
            // a value ends at its first newline: some drivers append one, and udev drops the rest
            int valueEnd = indexOf(d, eq + 1, end, (byte) '\n');
            slot.keys[n].set(start, eq);
            slot.values[n].set(eq + 1, valueEnd);
            n++;
            start = end + 1;
        }
        slot.count = n;
        return null;
    }

    /** Finds ACTION, DEVPATH, SUBSYSTEM, SEQNUM and checks them against the header. */
    private static Rejection core(UeventSlot slot, int at, int headerEnd) {
        int action = -1;
        int devpath = -1;
        int subsystem = -1;
        int seqnum = -1;
        byte[] d = slot.data;
        for (int i = 0; i < slot.count; i++) {
            ByteView k = slot.keys[i];
            if (same(d, k, ACTION)) {
                if (action >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                action = i;
            } else if (same(d, k, DEVPATH)) {
                if (devpath >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                devpath = i;
            } else if (same(d, k, SUBSYSTEM)) {
                if (subsystem >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                subsystem = i;
            } else if (same(d, k, SEQNUM)) {
                if (seqnum >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                seqnum = i;
            }
        }
        if (action < 0 || devpath < 0 || subsystem < 0 || seqnum < 0) {
            return Rejection.MISSING_KEY;
        }
        if (!region(d, slot.values[action], 0, at) || !region(d, slot.values[devpath], at + 1, headerEnd)) {
            return Rejection.HEADER_MISMATCH;
        }
        ByteView dp = slot.values[devpath];
        if (!cleanPath(d, dp.from(), dp.to())) {
            return Rejection.BAD_DEVPATH;
        }
        long seq = decimal(d, slot.values[seqnum]);
        if (seq <= 0) {
            return Rejection.BAD_SEQNUM;
        }
        slot.devpath.set(dp.from(), dp.to());
        slot.subsystemIndex = subsystem;
        slot.seqnum = seq;
        return null;
    }

    private static ReceiveOutcome reject(UeventSlot slot, Rejection r) {
        slot.rejection = r;
        return ReceiveOutcome.MALFORMED;
    }

    private static boolean startsWith(byte[] d, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (d[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The index of {@code b} in {@code d[from, to)}, or {@code to}. */
    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return to;
    }

    private static boolean printableName(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (d[i] <= ' ' || d[i] >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(byte[] d, ByteView v, byte[] word) {
        if (v.length() != word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (d[v.from() + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean region(byte[] d, ByteView v, int from, int to) {
        if (v.length() != to - from) {
            return false;
        }
        for (int i = 0; i < to - from; i++) {
            if (d[v.from() + i] != d[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Absolute, and no empty, {@code .} or {@code ..} component. */
    private static boolean cleanPath(byte[] d, int from, int to) {
        if (to - from < 2 || d[from] != '/') {
            return false;
        }
        int start = from + 1;
        while (true) {
            int end = indexOf(d, start, to, (byte) '/');
            int n = end - start;
            if (n == 0 || (n == 1 && d[start] == '.') || (n == 2 && d[start] == '.' && d[start + 1] == '.')) {
                return false;
            }
            if (end == to) {
                return true;
            }
            start = end + 1;
        }
    }

    /** A positive decimal of at most 18 digits, or -1. */
    private static long decimal(byte[] d, ByteView v) {
        int n = v.length();
        if (n == 0 || n > 18) {
            return -1;
        }
        long x = 0;
        for (int i = v.from(); i < v.to(); i++) {
            int c = d[i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            x = x * 10 + c;
        }
        return x;
    }
}
