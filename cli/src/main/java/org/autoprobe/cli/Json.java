package org.autoprobe.cli;

import java.util.List;

/**
 * The little JSON the commands write (RFC 8259): strings and arrays of strings, appended to a
 * {@link StringBuilder}. A string is quoted with {@code "} and {@code \} escaped, every control
 * character (below U+0020, and U+007F) written as {@code \n}, {@code \t}... or <code>&#92;u00XX</code>, and
 * the rest as it is (non-ASCII as UTF-8 once printed), except a surrogate that is not half of a pair
 * (a byte that was not UTF-8, as {@link org.autoprobe.core.text.RawText} keeps it), written as
 * <code>&#92;uDCXX</code> so that the output stays valid UTF-8.
 */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** {@code s} as a JSON string, or {@code null}. */
    static String string(String s) {
        return s == null ? "null" : string(new StringBuilder(s.length() + 2), s).toString();
    }

    /** {@code s} as a JSON string. */
    static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        unicode(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicode(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** {@code values} as a JSON array of strings. */
    static StringBuilder strings(StringBuilder sb, List<String> values) {
        sb.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(sb, values.get(i));
        }
        return sb.append(']');
    }

    private static void unicode(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
