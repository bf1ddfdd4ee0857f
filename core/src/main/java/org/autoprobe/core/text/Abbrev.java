package org.autoprobe.core.text;

/** Long values (a CPU's MODALIAS runs to 1,500 characters) cut for a table cell or a log line. */
public final class Abbrev {
    /** What log lines and explanations allow a MODALIAS. */
    public static final int LINE = 80;

    private Abbrev() {
    }

    /** {@code s} if it has at most {@code max} characters, else its first {@code max - 3} and "...". */
    public static String cut(String s, int max) {
        if (max < 4) {
            throw new IllegalArgumentException("max " + max);
        }
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** {@link #cut} to {@value #LINE}. */
    public static String line(String s) {
        return cut(s, LINE);
    }
}
