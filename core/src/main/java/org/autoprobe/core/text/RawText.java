package org.autoprobe.core.text;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.Arrays;

/**
 * Bytes as Java text and back, losslessly: kmod handles configuration lines, module strings and
 * aliases as C strings, bytes that need not be UTF-8, and its output holds exactly those bytes.
 *
 * <p>{@link #decode} reads valid UTF-8 as the characters it encodes and every byte that is not
 * part of a valid UTF-8 sequence (a stray 0x80-0xBF, 0xC0, 0xC1, 0xF5-0xFF, a truncated or
 * overlong sequence, an encoded surrogate or a code point past U+10FFFF) as the lone low surrogate
 * U+DC00 + byte (U+DC80-U+DCFF; the "surrogateescape" scheme of PEP 383). {@link #encode} writes
 * characters as UTF-8 and those escapes as their byte again, so {@code encode(decode(b))} equals
 * {@code b} for any bytes, and text from Java (paths, arguments, messages) prints as UTF-8. A lone
 * surrogate that is not such an escape (it cannot come from decoding) is written as {@code ?},
 * as Java's own UTF-8 encoder does.
 */
public final class RawText {
    private static final int ESCAPE = 0xDC00;

    private RawText() {
    }

    /** {@code bytes[from, to)} as text. */
    public static String decode(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && bytes[i] >= 0) {
            i++;
        }
        if (i == to) {
            return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(to - from);
        for (int k = from; k < i; k++) {
            sb.append((char) bytes[k]);
        }
        while (i < to) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                sb.append((char) b);
                i++;
                continue;
            }
            int len = sequenceLength(bytes, i, to);
            if (len == 0) {
                sb.append((char) (ESCAPE + b));
                i++;
                continue;
            }
            int cp = b & (0xff >> (len + 1));
            for (int k = 1; k < len; k++) {
                cp = cp << 6 | (bytes[i + k] & 0x3f);
            }
            sb.appendCodePoint(cp);
            i += len;
        }
        return sb.toString();
    }

    /** All of {@code bytes} as text. */
    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * The length of the valid UTF-8 sequence of two to four bytes at {@code bytes[i]} (ending by
     * {@code to}), or 0 when there is none: shortest form only, no surrogates, nothing past U+10FFFF.
     */
    private static int sequenceLength(byte[] bytes, int i, int to) {
        int b = bytes[i] & 0xff;
        int len;
        int min2;
        int max2 = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
            min2 = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            min2 = b == 0xE0 ? 0xA0 : 0x80;
            if (b == 0xED) {
                max2 = 0x9F; // U+D800-U+DFFF encoded: not UTF-8
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            min2 = b == 0xF0 ? 0x90 : 0x80;
            if (b == 0xF4) {
                max2 = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + len > to) {
            return 0;
        }
        int second = bytes[i + 1] & 0xff;
        if (second < min2 || second > max2) {
            return 0;
        }
        for (int k = 2; k < len; k++) {
            int c = bytes[i + k] & 0xff;
            if (c < 0x80 || c > 0xBF) {
                return 0;
            }
        }
        return len;
    }

    /** The bytes {@code text} stands for. */
    public static byte[] encode(CharSequence text) {
        Encoder e = new Encoder(text.length());
        e.write(text, 0, text.length());
        e.flush();
        return e.bytes();
    }

    /** The bytes of {@code text} up to its first NUL (as a C function would see it), NUL included. */
    public static byte[] cString(CharSequence text) {
        int nul = 0;
        while (nul < text.length() && text.charAt(nul) != 0) {
            nul++;
        }
        byte[] b = encode(text.subSequence(0, nul));
        return Arrays.copyOf(b, b.length + 1);
    }

    /** {@code text} up to its first NUL: what a C string of it holds. */
    public static String beforeNul(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** Whether {@code c} is the escape of a byte that was not UTF-8. */
    static boolean isEscape(char c) {
        return c >= ESCAPE + 0x80 && c <= ESCAPE + 0xFF;
    }

    /**
     * The bytes an ISO-8859-1 byte string (one char per byte, as the ELF reader returns module
     * strings) holds, as text: {@code decode} of those bytes.
     */
    public static String fromByteString(CharSequence byteString) {
        byte[] b = new byte[byteString.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) byteString.charAt(i);
        }
        return decode(b);
    }

    /** A writer that sends what it is given as {@link #encode} bytes to a stream. */
    public static Writer writer(OutputStream out) {
        return new StreamWriter(out);
    }

    /** Encodes characters incrementally; a high surrogate may wait for its low half. */
    private static final class Encoder {
        private byte[] buf;
        private int size;
        private char pendingHigh;

        Encoder(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void write(CharSequence s, int off, int len) {
            for (int i = off; i < off + len; i++) {
                put(s.charAt(i));
            }
        }

        void write(char[] s, int off, int len) {
            for (int i = off; i < off + len; i++) {
                put(s[i]);
            }
        }

        private void put(char c) {
            if (size + 4 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            if (pendingHigh != 0) {
                char high = pendingHigh;
                pendingHigh = 0;
                if (Character.isLowSurrogate(c)) {
                    int cp = Character.toCodePoint(high, c);
                    buf[size++] = (byte) (0xF0 | cp >> 18);
                    buf[size++] = (byte) (0x80 | (cp >> 12 & 0x3f));
                    buf[size++] = (byte) (0x80 | (cp >> 6 & 0x3f));
                    buf[size++] = (byte) (0x80 | (cp & 0x3f));
                    return;
                }
                buf[size++] = '?';
                put(c);
                return;
            }
            if (c < 0x80) {
                buf[size++] = (byte) c;
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c)) {
                pendingHigh = c;
            } else if (Character.isLowSurrogate(c)) {
                buf[size++] = isEscape(c) ? (byte) (c - ESCAPE) : (byte) '?';
            } else {
                buf[size++] = (byte) (0xE0 | c >> 12);
                buf[size++] = (byte) (0x80 | (c >> 6 & 0x3f));
                buf[size++] = (byte) (0x80 | (c & 0x3f));
            }
        }

        /** Ends the text: a high surrogate still waiting is written as {@code ?}. */
        void flush() {
            if (pendingHigh != 0) {
                pendingHigh = 0;
                if (size == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[size++] = '?';
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class StreamWriter extends Writer {
        private final OutputStream out;
        private final Encoder encoder = new Encoder(8192);

        StreamWriter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            encoder.write(cbuf, off, len);
            if (encoder.size >= 8192) {
                drain();
            }
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            encoder.write(str, off, len);
            if (encoder.size >= 8192) {
                drain();
            }
        }

        private void drain() throws IOException {
            out.write(encoder.buf, 0, encoder.size);
            encoder.size = 0;
        }

        @Override
        public void flush() throws IOException {
            drain(); // a high surrogate may still wait for its other half
            out.flush();
        }

        @Override
        public void close() throws IOException {
            encoder.flush();
            drain();
            out.close();
        }
    }
}
