package org.autoprobe.core.match;

import org.autoprobe.core.text.RawText;

/**
 * Shell-style pattern matching as kmod does it: glibc's {@code fnmatch(pattern, text, 0)} in the
 * C locale, byte for byte.
 *
 * <ul>
 *   <li>{@code *} any run of bytes, {@code ?} any one byte, {@code \x} the byte {@code x}
 *       (a trailing backslash matches nothing);</li>
 *   <li>{@code [...]} one byte from a set: single bytes, ranges {@code a-z} by byte value,
 *       {@code [:class:]} (the twelve POSIX classes, ASCII only), {@code [=c=]} and
 *       {@code [.c.]}; {@code !} or {@code ^} first negates; a {@code ]} first is literal; an
 *       unknown class name makes the set match nothing;</li>
 *   <li>an unterminated {@code [} stands for itself, unless the byte was in the set read so
 *       far (then the match fails, as in glibc);</li>
 *   <li>case-sensitive; {@code /} and leading {@code .} are ordinary bytes.</li>
 * </ul>
 *
 * Like glibc, a {@code *} commits to the first place where the pattern up to the next {@code *}
 * matches. Strings are compared as their bytes ({@link RawText#encode}: UTF-8, and the bytes
 * that were not UTF-8 as they were) and end at their first NUL, as the C strings
 * kmod passes would. {@code POSIXLY_CORRECT} (which makes glibc treat {@code ^} literally) is
 * not consulted. Instances are immutable and thread-safe.
 */
public final class Glob {
    private static final long NO_MATCH = -1;
    private static final long MATCH = -2;

    private final String pattern;
    private final byte[] bytes;
    private final boolean literal;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.bytes = cString(pattern);
        boolean special = false;
        for (byte b : bytes) {
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                special = true;
                break;
            }
        }
        this.literal = !special;
    }

    /** A pattern ready to be matched many times. */
    public static Glob compile(String pattern) {
        return new Glob(pattern);
    }

    /** The pattern as given. */
    String pattern() {
        return pattern;
    }

    /** Whether {@code text} matches this pattern. */
    public boolean matches(String text) {
        byte[] t = cString(text);
        if (literal) {
            return java.util.Arrays.equals(bytes, t);
        }
        return matches(bytes, bytes.length, t, 0, t.length);
    }

    /** Whether {@code text} matches {@code pattern}: {@code fnmatch(pattern, text, 0) == 0}. */
    public static boolean matches(String pattern, String text) {
        return compile(pattern).matches(text);
    }

    /**
     * Whether kmod treats {@code s} as a pattern: it holds {@code *}, {@code ?} or {@code [}
     * (the characters libkmod's index walk branches on; a backslash alone does not count).
     */
    public static boolean hasWildcard(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /**
     * The byte-level form: {@code pattern[0, patternLength)} (a NUL byte ends it early) against
     * {@code text[textStart, textEnd)}, which must hold no NUL byte.
     */
    public static boolean matches(byte[] pattern, int patternLength, byte[] text, int textStart, int textEnd) {
        return run(pattern, patternLength, text, textStart, textEnd, 0, false) == MATCH;
    }

    private static byte[] cString(String s) {
        return RawText.encode(RawText.beforeNul(s));
    }

    /** The pattern byte at {@code i} as 0..255, or 0 past the end. */
    private static int at(byte[] pat, int len, int i) {
        return i < len ? pat[i] & 0xff : 0;
    }

    /**
     * Matches pattern from {@code p} against text from {@code n}. In segment mode (the part after
     * a {@code *}), reaching the next {@code *} ends the run: it returns that star's pattern
     * position and the text position, packed, and the caller carries on from there.
     */
    private static long run(byte[] pat, int pLen, byte[] s, int n, int end, int p, boolean segment) {
        for (;;) {
            int c = at(pat, pLen, p++);
            switch (c) {
                case 0:
                    return n == end ? MATCH : NO_MATCH;
                case '?':
                    if (n == end) {
                        return NO_MATCH;
                    }
                    break;
                case '\\':
                    c = at(pat, pLen, p++);
                    if (c == 0 || n == end || (s[n] & 0xff) != c) {
                        return NO_MATCH;
                    }
                    break;
                case '[': {
                    if (n == end) {
                        return NO_MATCH;
                    }
                    int next = Brackets.match(pat, pLen, p, s[n] & 0xff);
                    if (next == Brackets.FAIL) {
                        return NO_MATCH;
                    }
                    if (next == Brackets.UNTERMINATED) {
                        if (s[n] != '[') {
                            return NO_MATCH;
                        }
                    } else {
                        p = next;
                    }
                    break;
                }
                case '*': {
                    if (segment) {
                        return ((long) (p - 1) << 32) | n;
                    }
                    long r = star(pat, pLen, s, n, end, p);
                    if (r < 0) {
                        return r;
                    }
                    p = (int) (r >>> 32);
                    n = (int) r;
                    continue;
                }
                default:
                    if (n == end || (s[n] & 0xff) != c) {
                        return NO_MATCH;
                    }
            }
            n++;
        }
    }

    /**
     * A {@code *} at {@code p - 1}: swallows the {@code ?} and {@code *} that follow, then finds the
     * first text position from which the rest matches up to its next star (or to the end).
     */
    private static long star(byte[] pat, int pLen, byte[] s, int n, int end, int p) {
        int c = at(pat, pLen, p++);
        for (; c == '?' || c == '*'; c = at(pat, pLen, p++)) {
            if (c == '?') {
                if (n == end) {
                    return NO_MATCH;
                }
                n++;
            }
        }
        if (c == 0) {
            return MATCH;
        }
        int first = c == '[' ? -1 : c == '\\' ? at(pat, pLen, p) : c;
        p--;
        for (; n < end; n++) {
            if (first >= 0 && (s[n] & 0xff) != first) {
                continue;
            }
            long r = run(pat, pLen, s, n, end, p, true);
            if (r != NO_MATCH) {
                return r;
            }
        }
        return NO_MATCH;
    }
}
