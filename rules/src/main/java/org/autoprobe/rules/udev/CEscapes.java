package org.autoprobe.rules.udev;

/**
 * The C escapes of an {@code e"..."} value, as udev decodes them: {@code \a \b \f \n \r \t \v
 * \\ \" \'}, {@code \s} (a space), backslash-x HH, backslash-u HHHH, backslash-U HHHHHHHH and three
 * octal digits {@code \ooo}. Anything else, a lone trailing backslash, or an escape that yields
 * NUL makes the value invalid. (backslash-x and octal escapes above 0x7F give the character of
 * that code, not a raw byte.)
 */
final class CEscapes {
    private CEscapes() {
    }

    static String unescape(String s, String key) throws RuleTokenizer.SyntaxException {
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i + 1 >= n) {
                throw bad(key, "a lone '\\' at its end");
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'a': b.append('\u0007'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'v': b.append('\u000b'); break;
                case '\\': b.append('\\'); break;
                case '"': b.append('"'); break;
                case '\'': b.append('\''); break;
                case 's': b.append(' '); break;
                case 'x': i = appendHex(s, i, 2, b, key); break;
                case 'u': i = appendHex(s, i, 4, b, key); break;
                case 'U': i = appendHex(s, i, 8, b, key); break;
                default:
                    if (e >= '0' && e <= '7') {
                        if (i + 2 >= n || !isOctal(s.charAt(i + 1)) || !isOctal(s.charAt(i + 2))) {
                            throw bad(key, "an octal escape without three digits");
                        }
                        int v = (e - '0') * 64 + (s.charAt(i + 1) - '0') * 8 + (s.charAt(i + 2) - '0');
                        if (v == 0 || v > 255) {
                            throw bad(key, "an octal escape out of range");
                        }
                        b.append((char) v);
                        i += 2;
                    } else {
                        throw bad(key, "an unknown escape '\\" + e + "'");
                    }
            }
        }
        return b.toString();
    }

    /** {@code i} is at the escape letter; returns the index of the last digit. */
    private static int appendHex(String s, int i, int digits, StringBuilder b, String key)
            throws RuleTokenizer.SyntaxException {
        if (i + digits >= s.length()) {
            throw bad(key, "a short '\\" + s.charAt(i) + "' escape");
        }
        long v = 0;
        for (int k = 1; k <= digits; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0 || s.charAt(i + k) > 'f') {
                throw bad(key, "a bad hex digit in a '\\" + s.charAt(i) + "' escape");
            }
            v = v * 16 + d;
        }
        if (v == 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
            throw bad(key, "an escape out of range");
        }
        b.appendCodePoint((int) v);
        return i + digits;
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    private static RuleTokenizer.SyntaxException bad(String key, String what) {
        return new RuleTokenizer.SyntaxException("value of " + key + " has " + what);
    }
}
