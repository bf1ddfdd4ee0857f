package org.autoprobe.rules.modprobe;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.text.RawText;

/**
 * Splits a configuration file into logical lines the way kmod 30 reads them: only '\n' ends a
 * line; a backslash right before '\n' joins the next physical line; a backslash before any other
 * byte is dropped and that byte kept; a backslash as the file's very last byte yields the byte
 * 0xFF (kmod stores the EOF marker as a character). A logical line is cut at its first NUL byte.
 * A final fragment without '\n' counts as a line unless it is empty.
 */
final class LogicalLines {
    /** One logical line and the number of the last physical line it took. */
    record Line(String text, int lineNumber) {
    }

    private LogicalLines() {
    }

    static List<Line> split(byte[] content) {
        List<Line> lines = new ArrayList<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int lineNumber = 0;
        int physical = 0;
        int i = 0;
        int n = content.length;
        while (true) {
            if (i >= n) {
                if (buf.size() > 0) {
                    lineNumber += physical + 1;
                    lines.add(new Line(decode(buf.toByteArray()), lineNumber));
                }
                return lines;
            }
            byte b = content[i++];
            if (b == '\n') {
                lineNumber += physical + 1;
                physical = 0;
                lines.add(new Line(decode(buf.toByteArray()), lineNumber));
                buf.reset();
            } else if (b == '\\') {
                if (i >= n) {
                    buf.write(0xFF);
                } else if (content[i] == '\n') {
                    i++;
                    physical++;
                } else {
                    buf.write(content[i++]);
                }
            } else {
                buf.write(b);
            }
        }
    }

    private static String decode(byte[] bytes) {
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return RawText.decode(bytes, 0, len);
    }
}
