package org.autoprobe.core.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

import org.autoprobe.core.text.RawText;

/**
 * A MODALIAS dump: one MODALIAS per line, as a machine's {@code cat $(find /sys/devices -name modalias)}
 * prints them (for {@code autoprobe compat}, one file per machine of a fleet). Only {@code \n} ends a
 * line; a last line without one counts. Lines are bytes: a value is kept exactly as
 * {@link RawText#decode} reads it.
 *
 * <p>A line that is not a MODALIAS is reported (its number and what is wrong) and skipped, and the
 * rest is read: an empty line, a comment ({@code #} first), a line with a control character (a
 * byte below 0x20, or 0x7F: CR, TAB, NUL...), or one longer than {@value #MAX_LENGTH} bytes (a
 * sysfs attribute is at most a page, so no device's {@code modalias} is longer). Memory stays
 * bounded whatever the input: an over-long line is not kept.
 */
public final class ModaliasDump {
    /** The longest MODALIAS taken, in bytes. */
    static final int MAX_LENGTH = 4096;

    /** A line that is not a MODALIAS: its number (from 1) and what is wrong with it. */
    public record BadLine(long number, String problem) {
    }

    private ModaliasDump() {
    }

    /**
     * Reads {@code in} to its end: each MODALIAS to {@code values}, each bad line to {@code bad}, in
     * file order.
     *
     * @return how many MODALIAS lines were read
     * @throws IOException when {@code in} cannot be read (what was read before stays delivered)
     */
    public static long read(InputStream in, Consumer<String> values, Consumer<BadLine> bad) throws IOException {
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[256];
        int len = 0;
        boolean overlong = false;
        boolean pending = false;
        long number = 0;
        long count = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    number++;
                    count += finish(line, len, overlong, number, values, bad);
                    len = 0;
                    overlong = false;
                    pending = false;
                    continue;
                }
                pending = true;
                if (overlong) {
                    continue;
                }
                if (len == MAX_LENGTH) {
                    overlong = true;
                    continue;
                }
                if (len == line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LENGTH, line.length * 2));
                }
                line[len++] = b;
            }
        }
        if (pending) {
            count += finish(line, len, overlong, number + 1, values, bad);
        }
        return count;
    }

    private static int finish(byte[] line, int len, boolean overlong, long number, Consumer<String> values,
            Consumer<BadLine> bad) {
        String problem = overlong ? "longer than " + MAX_LENGTH + " bytes: no MODALIAS is" : problem(line, len);
        if (problem != null) {
            bad.accept(new BadLine(number, problem));
            return 0;
        }
        values.accept(RawText.decode(line, 0, len));
        return 1;
    }

    /** What is wrong with {@code value} as a MODALIAS (the same rules as a dump's lines), or null when nothing is. */
    public static String problem(String value) {
        byte[] b = RawText.encode(value);
        return b.length > MAX_LENGTH ? "longer than " + MAX_LENGTH + " bytes: no MODALIAS is" : problem(b, b.length);
    }

    private static String problem(byte[] line, int len) {
        if (len == 0) {
            return "an empty line, not a MODALIAS";
        }
        if (line[0] == '#') {
            return "a comment, not a MODALIAS";
        }
        for (int i = 0; i < len; i++) {
            int c = line[i] & 0xff;
            if (c < 0x20 || c == 0x7f) {
                if (c == '\r' && i == len - 1) {
                    return "ends with a carriage return (CRLF line ends?): a MODALIAS holds no control character";
                }
                return String.format("control character 0x%02X at byte %d: a MODALIAS holds none", c, i + 1);
            }
        }
        return null;
    }
}
