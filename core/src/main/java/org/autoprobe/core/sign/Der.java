package org.autoprobe.core.sign;

import java.nio.ByteBuffer;

/**
 * A minimal reader of DER (definite lengths only) over a buffer: enough to walk a PKCS#7
 * SignedData. Every read is bounds-checked; a malformed encoding gives {@link Bad}.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    /** A malformed or unexpected encoding (carries no stack trace: it is an expected outcome). */
    static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** One element: its tag and where its contents lie in the buffer. */
    record Element(int tag, int start, int end) {
        int length() {
            return end - start;
        }
    }

    private final ByteBuffer buf;
    private int pos;
    private final int end;

    /** A reader of the elements between {@code start} and {@code end} of {@code buf}. */
    Der(ByteBuffer buf, int start, int end) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
    }

    /** A reader over the contents of a constructed element. */
    Der inside(Element e) {
        return new Der(buf, e.start(), e.end());
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The tag of the next element, or -1 at the end. */
    int peekTag() {
        return pos < end ? Byte.toUnsignedInt(buf.get(pos)) : -1;
    }

    Element next() throws Bad {
        if (pos + 2 > end) {
            throw new Bad("truncated element at offset " + pos);
        }
        int tag = Byte.toUnsignedInt(buf.get(pos));
        if ((tag & 0x1F) == 0x1F) {
            throw new Bad("multi-byte tag at offset " + pos);
        }
        int first = Byte.toUnsignedInt(buf.get(pos + 1));
        int at = pos + 2;
        long len;
        if (first < 0x80) {
            len = first;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 4) {
                throw new Bad("unsupported length form at offset " + (pos + 1));
            }
            if (at + n > end) {
                throw new Bad("truncated length at offset " + (pos + 1));
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | Byte.toUnsignedInt(buf.get(at + i));
            }
            at += n;
        }
        if (len > end - at) {
            throw new Bad("element at offset " + pos + " (" + len + " bytes) overruns its container");
        }
        pos = at + (int) len;
        return new Element(tag, at, pos);
    }

    Element next(int expectedTag) throws Bad {
        Element e = next();
        if (e.tag() != expectedTag) {
            throw new Bad("expected tag 0x" + Integer.toHexString(expectedTag) + ", found 0x" + Integer.toHexString(e.tag())
                    + " at offset " + e.start());
        }
        return e;
    }

    byte[] bytes(Element e) {
        byte[] b = new byte[e.length()];
        buf.get(e.start(), b);
        return b;
    }

    /** Whether an element's contents are exactly these bytes (an OID compared by its encoding). */
    boolean contentEquals(Element e, byte[] expected) {
        if (e.length() != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf.get(e.start() + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
