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
 * so a leading {@code pre:} is not recognised and the line yields no names. kmod 34's
 * {@code weakdep} cuts its names with the same loop ({@link #words}), quirk included.
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
        for (String word : words(text)) {
            if (word.equals("pre:")) {
                inGroup = true;
                mode = true;
            } else if (word.equals("post:")) {
                inGroup = true;
                mode = false;
            } else if (inGroup) {
                (mode ? pre : post).add(word);
                written.add(word);
                isPre.add(mode);
            }
        }
        return new SoftDep(module, pre, post, shown(written, isPre));
    }

    /**
     * The words kmod's softdep and weakdep readers cut {@code text} into: split at C
     * {@code isspace} runs, with the one-leading-blank quirk described above (a single blank at
     * the very start stays in front of the first word; two or more are dropped).
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
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
            if (!end || !wasSpace) {
                words.add(text.substring(start, s));
            }
            start = s + 1;
            if (end) {
                return words;
            }
        }
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
