package org.autoprobe.rules.udev;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one logical rule line into {@code KEY{attr} op "value"} tokens, as udev reads them:
 * tokens are separated by any run of whitespace and commas; a key ends at whitespace, {@code =},
 * {@code {}, or one of {@code +-!:} followed by {@code =}; {@code {attr}} runs to the next
 * {@code }}; whitespace may surround the operator; the value is double-quoted, optionally
 * prefixed by {@code e} (C escapes) and/or {@code i} (case-insensitive match). In a plain value
 * only {@code \"} is an escape (it stands for {@code "}); every other backslash is kept.
 */
final class RuleTokenizer {
    /** udev's operators. */
    enum Op {
        MATCH("=="), NOMATCH("!="), ADD("+="), REMOVE("-="), ASSIGN("="), ASSIGN_FINAL(":=");

        final String text;

        Op(String text) {
            this.text = text;
        }

        boolean isMatch() {
            return this == MATCH || this == NOMATCH;
        }
    }

    /** One token; {@code attr} is {@code null} when the key has no braces. */
    record Token(String key, String attr, Op op, String value, boolean caseInsensitive) {
        @Override
        public String toString() {
            return key + (attr == null ? "" : "{" + attr + "}") + op.text + "\"" + value + "\"";
        }
    }

    /** Thrown for a line udev calls an invalid key/value pair. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private RuleTokenizer() {
    }

    static List<Token> tokenize(String line) throws SyntaxException {
        List<Token> tokens = new ArrayList<>();
        int n = line.length();
        int p = 0;
        while (true) {
            while (p < n && (isSpace(line.charAt(p)) || line.charAt(p) == ',')) {
                p++;
            }
            if (p >= n) {
                return tokens;
            }
            int keyStart = p;
            int keyEnd = p;
            while (true) {
                if (keyEnd >= n) {
                    throw new SyntaxException("no operator after '" + line.substring(keyStart) + "'");
                }
                char c = line.charAt(keyEnd);
                if (isSpace(c) || c == '=' || c == '{') {
                    break;
                }
                if ("+-!:".indexOf(c) >= 0 && keyEnd + 1 < n && line.charAt(keyEnd + 1) == '=') {
                    break;
                }
                keyEnd++;
            }
            String key = line.substring(keyStart, keyEnd);
            String attr = null;
            int q = keyEnd;
            if (q < n && line.charAt(q) == '{') {
                int close = line.indexOf('}', q + 1);
                if (close < 0) {
                    throw new SyntaxException("'{' without '}' after " + key);
                }
                attr = line.substring(q + 1, close);
                q = close + 1;
            }
            while (q < n && isSpace(line.charAt(q))) {
                q++;
            }
            Op op = operator(line, q);
            if (op == null) {
                throw new SyntaxException("no valid operator after " + key);
            }
            q += op.text.length();
            while (q < n && isSpace(line.charAt(q))) {
                q++;
            }
            p = value(line, q, key, attr, op, tokens);
        }
    }

    private static Op operator(String line, int at) {
        for (Op op : new Op[] {Op.MATCH, Op.NOMATCH, Op.ADD, Op.REMOVE, Op.ASSIGN, Op.ASSIGN_FINAL}) {
            if (line.startsWith(op.text, at)) {
                return op;
            }
        }
        return null;
    }

    /** Reads the value at {@code at}, adds the token, returns the position after the closing quote. */
    private static int value(String line, int at, String key, String attr, Op op, List<Token> tokens)
            throws SyntaxException {
        int n = line.length();
        boolean escaped = false;
        boolean caseInsensitive = false;
        int q = at;
        for (int k = 0; k < 2 && q < n && line.charAt(q) != '"'; k++, q++) {
            char c = line.charAt(q);
            if (c == 'e' && !escaped) {
                escaped = true;
            } else if (c == 'i' && !caseInsensitive) {
                caseInsensitive = true;
            } else {
                throw new SyntaxException("value of " + key + " is not a double-quoted string");
            }
        }
        if (q >= n || line.charAt(q) != '"') {
            throw new SyntaxException("value of " + key + " is not a double-quoted string");
        }
        StringBuilder b = new StringBuilder();
        int i = q + 1;
        while (true) {
            if (i >= n || line.charAt(i) == 0) {
                throw new SyntaxException("value of " + key + " has no closing '\"'");
            }
            char c = line.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\' && i + 1 < n && (escaped || line.charAt(i + 1) == '"')) {
                if (!escaped) {
                    i++;
                } else {
                    b.append(c);
                    i++;
                    if (line.charAt(i) == 0) {
                        throw new SyntaxException("value of " + key + " has no closing '\"'");
                    }
                }
            }
            b.append(line.charAt(i));
            i++;
        }
        String value = escaped ? CEscapes.unescape(b.toString(), key) : b.toString();
        int nul = value.indexOf('\0');
        tokens.add(new Token(key, attr, op, nul < 0 ? value : value.substring(0, nul), caseInsensitive));
        return i + 1;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
