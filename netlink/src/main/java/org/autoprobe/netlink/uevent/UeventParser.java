package org.autoprobe.netlink.uevent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Parses the kernel's uevent format into a {@link UeventSlot}: {@code ACTION@DEVPATH\0} then
 * {@code KEY=VALUE\0} variables, ACTION, DEVPATH, SUBSYSTEM and SEQNUM among them. Copies the
 * bytes into the slot and records offsets: nothing is allocated. Arbitrary bytes never throw;
 * they are rejected with a {@link Rejection}.
 */
public final class UeventParser {
    /** udev's floor for any uevent message. */
    static final int MIN_MESSAGE_BYTES = 32;

    private static final byte[] LIBUDEV = {'l', 'i', 'b', 'u', 'd', 'e', 'v', 0};
    private static final byte[] ACTION = key("ACTION");
    private static final byte[] DEVPATH = key("DEVPATH");
    private static final byte[] SUBSYSTEM = key("SUBSYSTEM");
    private static final byte[] SEQNUM = key("SEQNUM");
    private static final int ACTION_HASH = "ACTION".hashCode();
    private static final int DEVPATH_HASH = "DEVPATH".hashCode();
    private static final int SUBSYSTEM_HASH = "SUBSYSTEM".hashCode();
    private static final int SEQNUM_HASH = "SEQNUM".hashCode();
    /** Eight bytes at a time: a zero byte in a word is found with the usual bit trick. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';

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
        int headerEnd = nul(d, 0, len);
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

    /**
     * Splits the body into variables and records where each name and value lies, and each name's
     * hash (as {@link String#hashCode()} would give for it). One pass over the bytes: a name byte by
     * byte (it is checked and hashed), a value eight bytes at a time.
     */
    private static Rejection variables(UeventSlot slot, int from, int len) {
        byte[] d = slot.data;
        int n = 0;
        int start = from;
        while (start < len) {
            int eq = start;
            int h = 0;
            boolean printable = true;
            byte b;
            while ((b = d[eq]) != '=') {
                if (b == 0) {
                    return eq == start ? Rejection.EMPTY_ENTRY : Rejection.NO_EQUALS;
                }
                printable &= b > ' ' && b < 0x7f;
                h = 31 * h + (b & 0xff);
                eq++;
            }
            if (eq == start || !printable) {
                return Rejection.BAD_KEY;
            }
            if (n == UeventSlot.MAX_VARIABLES) {
                return Rejection.OVERSIZE;
            }
            // a value ends at its first newline: some drivers append one, and udev drops the rest
            int end = valueEnd(d, eq + 1, len);
            int valueEnd = end;
            if (d[end] == '\n') {
                end = nul(d, end, len);
            }
            int[] spans = slot.spans;
            spans[4 * n] = start;
            spans[4 * n + 1] = eq;
            spans[4 * n + 2] = eq + 1;
            spans[4 * n + 3] = valueEnd;
            slot.keyHashes[n] = h;
            n++;
            start = end + 1;
        }
        slot.count = n;
        return null;
    }

    /** The index of the first NUL in {@code d[from, len)}; {@code d[len - 1]} is a NUL. */
    private static int nul(byte[] d, int from, int len) {
        int i = from;
        while (i + Long.BYTES <= len) {
            long x = (long) LONGS.get(d, i);
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (d[i] != 0) {
            i++;
        }
        return i;
    }

    /** The index of the first NUL or newline in {@code d[from, len)}; {@code d[len - 1]} is a NUL. */
    private static int valueEnd(byte[] d, int from, int len) {
        int i = from;
        while (i + Long.BYTES <= len) {
            long x = (long) LONGS.get(d, i);
            long y = x ^ NEWLINES;
            long found = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS;
            if (found != 0) {
                // the lowest flagged byte is a true NUL or newline (false flags only follow a true one)
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += Long.BYTES;
        }
        while (d[i] != 0 && d[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Finds ACTION, DEVPATH, SUBSYSTEM, SEQNUM and checks them against the header. */
    private static Rejection core(UeventSlot slot, int at, int headerEnd) {
        int action = -1;
        int devpath = -1;
        int subsystem = -1;
        int seqnum = -1;
        byte[] d = slot.data;
        for (int i = 0; i < slot.count; i++) {
            int k = slot.spans[4 * i];
            int kEnd = slot.spans[4 * i + 1];
            int h = slot.keyHashes[i];
            if (h == ACTION_HASH && same(d, k, kEnd, ACTION)) {
                if (action >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                action = i;
            } else if (h == DEVPATH_HASH && same(d, k, kEnd, DEVPATH)) {
                if (devpath >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                devpath = i;
            } else if (h == SUBSYSTEM_HASH && same(d, k, kEnd, SUBSYSTEM)) {
                if (subsystem >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                subsystem = i;
            } else if (h == SEQNUM_HASH && same(d, k, kEnd, SEQNUM)) {
                if (seqnum >= 0) {
                    return Rejection.DUPLICATE_KEY;
                }
                seqnum = i;
            }
        }
        if (action < 0 || devpath < 0 || subsystem < 0 || seqnum < 0) {
            return Rejection.MISSING_KEY;
        }
        int[] spans = slot.spans;
        if (!Arrays.equals(d, spans[4 * action + 2], spans[4 * action + 3], d, 0, at)
                || !Arrays.equals(d, spans[4 * devpath + 2], spans[4 * devpath + 3], d, at + 1, headerEnd)) {
            return Rejection.HEADER_MISMATCH;
        }
        int dpFrom = spans[4 * devpath + 2];
        int dpTo = spans[4 * devpath + 3];
        if (!cleanPath(d, dpFrom, dpTo)) {
            return Rejection.BAD_DEVPATH;
        }
        long seq = decimal(d, spans[4 * seqnum + 2], spans[4 * seqnum + 3]);
        if (seq <= 0) {
            return Rejection.BAD_SEQNUM;
        }
        slot.subsystemIndex = subsystem;
        slot.devpathIndex = devpath;
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

    private static boolean same(byte[] d, int from, int to, byte[] word) {
        return Arrays.equals(d, from, to, word, 0, word.length);
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
    private static long decimal(byte[] d, int from, int to) {
        int n = to - from;
        if (n == 0 || n > 18) {
            return -1;
        }
        long x = 0;
        for (int i = from; i < to; i++) {
            int c = d[i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            x = x * 10 + c;
        }
        return x;
    }
}
