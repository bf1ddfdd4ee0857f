package org.autoprobe.netlink.uevent;

/**
 * A reusable window on a slot's bytes, one char per byte (ISO-8859-1, which is ASCII for every
 * kernel name). Valid until the slot is filled again.
 */
final class ByteView implements CharSequence {
    private final byte[] data;
    private int from;
    private int to;

    ByteView(byte[] data) {
        this.data = data;
    }

    void set(int from, int to) {
        this.from = from;
        this.to = to;
    }

    int from() {
        return from;
    }

    int to() {
        return to;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= to - from) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (data[from + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    /** Whether this window holds exactly {@code s} (compared char by byte, no allocation). */
    boolean contentEquals(CharSequence s) {
        int n = to - from;
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((data[from + i] & 0xff) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return new String(data, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
