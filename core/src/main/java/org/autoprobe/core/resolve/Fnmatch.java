package org.autoprobe.core.resolve;

/**
 * Shell-style pattern matching as glibc's {@code fnmatch(pattern, string, 0)} does it: {@code *},
 * {@code ?}, bracket expressions with ranges, negation ({@code !} or {@code ^}) and POSIX classes,
 * and backslash escapes. With flags 0, '/' and a leading '.' are ordinary characters.
 */
final class Fnmatch {
    private Fnmatch() {
    }

    /** Whether {@code text} matches {@code pattern}. */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        int pn = pattern.length();
        int tn = text.length();
        while (t < tn) {
            if (p < pn) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    while (p < pn && pattern.charAt(p) == '*') {
                        p++;
                    }
                    if (p == pn) {
                        return true;
                    }
                    starP = p;
                    starT = t;
                    continue;
                }
                int next = single(pattern, p, text.charAt(t));
                if (next >= 0) {
                    p = next;
                    t++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            t = ++starT;
        }
        while (p < pn && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pn;
    }

    /** Matches one pattern element at {@code p} against {@code ch}: the index after it, or -1. */
    private static int single(String pattern, int p, char ch) {
        char c = pattern.charAt(p);
        switch (c) {
            case '?':
                return p + 1;
            case '\\':
                if (p + 1 >= pattern.length()) {
                    return -1;
                }
                return pattern.charAt(p + 1) == ch ? p + 2 : -1;
            case '[': {
                int end = bracketEnd(pattern, p);
                if (end < 0) {
                    return c == ch ? p + 1 : -1;
                }
                return bracket(pattern, p + 1, end, ch) ? end + 1 : -1;
            }
            default:
                return c == ch ? p + 1 : -1;
        }
    }

    /** The index of the ']' closing the bracket expression opened at {@code open}, or -1. */
    private static int bracketEnd(String pattern, int open) {
        int i = open + 1;
        int n = pattern.length();
        if (i < n && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        if (i < n && pattern.charAt(i) == ']') {
            i++;
        }
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == ']') {
                return i;
            }
            if (c == '\\') {
                i += 2;
            } else if (c == '[' && i + 1 < n && pattern.charAt(i + 1) == ':') {
                int close = pattern.indexOf(":]", i + 2);
                i = close < 0 ? i + 1 : close + 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean bracket(String pattern, int from, int end, char ch) {
        int i = from;
        boolean negate = false;
        if (pattern.charAt(i) == '!' || pattern.charAt(i) == '^') {
            negate = true;
            i++;
        }
        boolean matched = false;
        boolean first = true;
        while (i < end) {
            char c = pattern.charAt(i);
            if (c == '[' && i + 1 < end && pattern.charAt(i + 1) == ':') {
                int close = pattern.indexOf(":]", i + 2);
                if (close >= 0 && close < end) {
                    matched |= inClass(pattern.substring(i + 2, close), ch);
                    i = close + 2;
                    first = false;
                    continue;
                }
            }
            if (c == ']' && !first) {
                break;
            }
            first = false;
            if (c == '\\' && i + 1 < end) {
                c = pattern.charAt(++i);
            }
            i++;
            if (i + 1 < end && pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
                char hi = pattern.charAt(i + 1);
                int skip = 2;
                if (hi == '\\' && i + 2 < end) {
                    hi = pattern.charAt(i + 2);
                    skip = 3;
                }
                matched |= c <= ch && ch <= hi;
                i += skip;
            } else {
                matched |= c == ch;
            }
        }
        return matched != negate;
    }

    private static boolean inClass(String name, char ch) {
        return switch (name) {
            case "alpha" -> ch < 128 && Character.isLetter(ch);
            case "digit" -> ch >= '0' && ch <= '9';
            case "alnum" -> ch < 128 && Character.isLetterOrDigit(ch);
            case "upper" -> ch >= 'A' && ch <= 'Z';
            case "lower" -> ch >= 'a' && ch <= 'z';
            case "space" -> ch == ' ' || (ch >= '\t' && ch <= '\r');
            case "blank" -> ch == ' ' || ch == '\t';
            case "punct" -> ch > 32 && ch < 127 && !Character.isLetterOrDigit(ch);
            case "print" -> ch >= 32 && ch < 127;
            case "graph" -> ch > 32 && ch < 127;
            case "cntrl" -> ch < 32 || ch == 127;
            case "xdigit" -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
            default -> false;
        };
    }
}
