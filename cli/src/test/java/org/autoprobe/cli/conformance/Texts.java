package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Comparing our output with kmod's and explaining the difference: where it starts, and how much differs. */
final class Texts {
    private static final int SHOW = 6;
    private static final int WIDTH = 300;

    private Texts() {
    }

    /** The first {@code maxLines} lines of {@code s}, with a note of how many were left out. */
    static String head(String s, int maxLines) {
        String[] ls = s.split("\n", -1);
        if (ls.length <= maxLines) {
            return s;
        }
        return String.join("\n", Arrays.copyOf(ls, maxLines)) + "\n  ...(" + (ls.length - maxLines) + " more lines)";
    }

    /** Lines of a byte string (bytes kept as ISO-8859-1 chars); a final newline does not start a line. */
    static List<String> lines(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> ls = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        if (ls.get(ls.size() - 1).isEmpty()) {
            ls.remove(ls.size() - 1);
        }
        return ls;
    }

    /** Fails unless {@code actual} equals {@code expected} byte for byte; {@code context} goes into the message. */
    static void assertSameBytes(String what, byte[] expected, byte[] actual, String context) {
        if (!Arrays.equals(expected, actual)) {
            fail(explain(what, expected, actual) + (context == null || context.isEmpty() ? "" : "\n" + context));
        }
    }

    /** A message saying how {@code actual} (ours) differs from {@code expected} (kmod's). */
    static String explain(String what, byte[] expected, byte[] actual) {
        List<String> exp = lines(expected);
        List<String> act = lines(actual);
        StringBuilder sb = new StringBuilder();
        sb.append(what).append(" differs from kmod's: kmod ").append(expected.length).append(" bytes / ")
                .append(exp.size()).append(" lines, ours ").append(actual.length).append(" bytes / ")
                .append(act.size()).append(" lines");
        int first = 0;
        while (first < exp.size() && first < act.size() && exp.get(first).equals(act.get(first))) {
            first++;
        }
        if (first == exp.size() && first == act.size()) {
            int off = Arrays.mismatch(expected, actual);
            sb.append("\nsame lines, but the bytes differ at offset ").append(off)
                    .append(" (line ends or a final newline?)");
            return sb.toString();
        }
        Map<String, Integer> count = new HashMap<>();
        exp.forEach(l -> count.merge(l, 1, Integer::sum));
        act.forEach(l -> count.merge(l, -1, Integer::sum));
        List<String> onlyExp = new ArrayList<>();
        List<String> onlyAct = new ArrayList<>();
        int nExp = 0;
        int nAct = 0;
        for (String l : exp) {
            Integer c = count.get(l);
            if (c != null && c > 0) {
                nExp += c;
                if (onlyExp.size() < SHOW) {
                    onlyExp.add(l);
                }
                count.put(l, 0);
            }
        }
        for (String l : act) {
            Integer c = count.get(l);
            if (c != null && c < 0) {
                nAct += -c;
                if (onlyAct.size() < SHOW) {
                    onlyAct.add(l);
                }
                count.put(l, 0);
            }
        }
        sb.append("; ").append(nExp).append(" lines only in kmod's, ").append(nAct).append(" only in ours")
                .append(nExp == 0 && nAct == 0 ? " (same lines, different order)" : "");
        sb.append("\nfirst difference at line ").append(first + 1).append(":");
        appendWindow(sb, "kmod", exp, first);
        appendWindow(sb, "ours", act, first);
        if (!onlyExp.isEmpty()) {
            sb.append("\nfirst lines only in kmod's:");
            onlyExp.forEach(l -> sb.append("\n  ").append(clip(l)));
        }
        if (!onlyAct.isEmpty()) {
            sb.append("\nfirst lines only in ours:");
            onlyAct.forEach(l -> sb.append("\n  ").append(clip(l)));
        }
        return sb.toString();
    }

    private static void appendWindow(StringBuilder sb, String who, List<String> ls, int at) {
        sb.append("\n ").append(who).append(":");
        int from = Math.max(0, at - 2);
        int to = Math.min(ls.size(), at + 4);
        if (from >= to) {
            sb.append("\n    (ends after line ").append(ls.size()).append(")");
        }
        for (int i = from; i < to; i++) {
            sb.append(i == at ? "\n  > " : "\n    ").append(i + 1).append(": ").append(clip(ls.get(i)));
        }
    }

    private static String clip(String l) {
        String shown = l.replace("\0", "\\0").replace("\t", "\\t");
        return shown.length() > WIDTH ? shown.substring(0, WIDTH) + "...(" + l.length() + " chars)" : shown;
    }
}
