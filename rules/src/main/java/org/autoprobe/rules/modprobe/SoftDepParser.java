package org.autoprobe.rules.modprobe;

import java.util.ArrayList;
import java.util.List;
import org.autoprobe.core.config.ModprobeConfig.SoftDep;

/**
 * The part of a {@code softdep} line after the module name, read as kmod 30 reads it.
 *
 * <p>Words are split at C {@code isspace} characters. {@code pre:} and {@code post:} switch the
 * group; words before the first switch are dropped; several groups of one kind add up. Names are
 * kept as written (not normalised). A quirk kept on purpose: when the text starts with exactly one
 * blank (two blanks after the module name in the file), that blank stays glued to the first word,
 * so a leading {@code pre:} is not recognised and the line yields no names.
 */
final class SoftDepParser {
    private SoftDepParser() {
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    static SoftDep parse(String module, String text) {
        List<String> pre = new ArrayList<>();
        List<String> post = new ArrayList<>();
        // every kept name in the order written, and which group it went to (true = pre)
        List<String> written = new ArrayList<>();
        List<Boolean> isPre = new ArrayList<>();
        boolean mode = false;
        boolean inGroup = false;
        boolean wasSpace = false;
        int start = 0;
        int n = text.length();
        for (int s = 0; ; s++) {
            boolean end = s >= n;
            if (!end) {
                char c = text.charAt(s);
                if (!isSpace(c)) {
                    wasSpace = false;
                    continue;
                }
                if (wasSpace) {
                    start = s + 1;
                    continue;
                }
                wasSpace = true;
                if (start >= s) {
                    continue;
                }
            }
            String word = text.substring(start, s);
            if (word.equals("pre:")) {
                inGroup = true;
                mode = true;
            } else if (word.equals("post:")) {
                inGroup = true;
                mode = false;
            } else if (!end || !wasSpace) {
                if (inGroup) {
                    (mode ? pre : post).add(word);
                    written.add(word);
                    isPre.add(mode);
                }
            }
            start = s + 1;
            if (end) {
                break;
            }
        }
        return new SoftDep(module, pre, post, shown(written, isPre));
    }

    /** kmod prints, per group, every written name from the group's first to its last one. */
    private static String shown(List<String> written, List<Boolean> isPre) {
        StringBuilder sb = new StringBuilder();
        appendSpan(sb, "pre: ", written, isPre, true);
        appendSpan(sb, "post: ", written, isPre, false);
        return sb.toString();
    }

    private static void appendSpan(StringBuilder sb, String prefix, List<String> written, List<Boolean> isPre,
                                   boolean group) {
        int first = isPre.indexOf(group);
        if (first < 0) {
            return;
        }
        int last = isPre.lastIndexOf(group);
        sb.append(prefix).append(String.join(" ", written.subList(first, last + 1)));
    }
}
