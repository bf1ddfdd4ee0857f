package org.autoprobe.rules.udev;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Joins a rules file's physical lines as udev does: leading whitespace is dropped; a line whose
 * first other character is {@code #} is a comment and is skipped even inside a continuation; a
 * line ending in a backslash continues on the next one (the backslash goes, the next line is
 * appended without its leading whitespace); a logical line reaching {@value #MAX} characters is
 * dropped; empty lines are skipped. A line is numbered by its last physical line.
 */
final class LogicalLines {
    /** udev's UDEV_LINE_SIZE. */
    static final int MAX = 16384;

    record Line(String text, int number) {
    }

    private LogicalLines() {
    }

    static List<Line> join(String fileName, List<String> physical, Consumer<String> warnings) {
        List<Line> out = new ArrayList<>();
        StringBuilder continuation = null;
        boolean tooLong = false;
        int number = 0;
        for (String raw : physical) {
            number++;
            String line = raw == null ? "" : stripLeading(raw);
            if (line.startsWith("#")) {
                continue;
            }
            if (line.length() >= MAX) {
                tooLong = true;
            }
            if (continuation != null && !tooLong) {
                if (continuation.length() + line.length() >= MAX) {
                    tooLong = true;
                } else {
                    continuation.append(line);
                    line = continuation.toString();
                }
            }
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\\') {
                if (!tooLong) {
                    continuation = new StringBuilder(line.substring(0, line.length() - 1));
                }
                continue;
            }
            if (tooLong) {
                warnings.accept(fileName + ":" + number + ": line is too long, ignored");
            } else if (!line.isEmpty()) {
                out.add(new Line(line, number));
            }
            continuation = null;
            tooLong = false;
        }
        if (continuation != null || tooLong) {
            warnings.accept(fileName + ":" + number + ": unexpected end of file after a line continuation, line ignored");
        }
        return out;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && RuleTokenizer.isSpace(s.charAt(i))) {
            i++;
        }
        return i == 0 ? s : s.substring(i);
    }
}
