package org.autoprobe.core.match;

/** One {@code [...]} set of a glob, read the way glibc's fnmatch reads it in the C locale. */
final class Brackets {
    /** The set does not accept the byte (or is malformed in a way that fails the match). */
    static final int FAIL = -1;
    /** No closing {@code ]}: the {@code [} stands for itself. */
    static final int UNTERMINATED = -2;
    /** The range just read did not contain the byte: read on. */
    private static final int READ_ON = -3;

    /** glibc's limit on a class name inside {@code [: :]}. */
    private static final int CLASS_NAME_MAX = 256;

    private final byte[] pat;
    private final int len;
    private final int fn;
    private final boolean not;
    /** Position of the next unread pattern byte. */
    private int p;

    private Brackets(byte[] pat, int len, int p, int fn) {
        this.pat = pat;
        this.len = len;
        this.fn = fn;
        int first = at(p);
        this.not = first == '!' || first == '^';
        this.p = not ? p + 1 : p;
    }

    /**
     * Matches byte {@code fn} against the set starting at {@code p} (just after its {@code [}).
     *
     * @return the pattern position after the set's {@code ]} when it accepts the byte,
     *     {@link #FAIL} or {@link #UNTERMINATED}
     */
    static int match(byte[] pat, int len, int p, int fn) {
        return new Brackets(pat, len, p, fn).read();
    }

    private int at(int i) {
        return i < len ? pat[i] & 0xff : 0;
    }

    private int next() {
        return at(p++);
    }

    private int read() {
        int c = next();
        for (;;) {
            int r;
            if (c == '\\') {
                if (at(p) == 0) {
                    return FAIL;
                }
                r = member(next());
            } else if (c == '[' && at(p) == ':') {
                r = namedClass();
            } else if (c == '[' && at(p) == '=') {
                r = equivalenceClass();
            } else if (c == 0) {
                return UNTERMINATED;
            } else if (c == '[' && at(p) == '.') {
                r = collatingSymbol();
            } else {
                r = member(c);
            }
            if (r != READ_ON) {
                return r;
            }
            c = next();
            if (c == ']') {
                return not ? p : FAIL;
            }
        }
    }

    /** A plain byte {@code c} of the set, maybe the start of a range. */
    private int member(int c) {
        boolean isRange = at(p) == '-' && at(p + 1) != 0 && at(p + 1) != ']';
        if (!isRange && c == fn) {
            return accepted();
        }
        return rangeFrom(c);
    }

    /** After a set member {@code low}: when a {@code -end} follows, tests the range. */
    private int rangeFrom(int low) {
        if (at(p) != '-' || at(p + 1) == ']') {
            return READ_ON;
        }
        p++;
        int high = next();
        if (high == '[' && at(p) == '.') {
            int start = p;
            int count = 0;
            for (;;) {
                int d = at(++p);
                if (d == '.' && at(p + 1) == ']') {
                    p += 2;
                    break;
                }
                if (d == 0) {
                    return FAIL;
                }
                count++;
            }
            if (count != 1) {
                return FAIL;
            }
            high = at(start + 1);
        } else {
            if (high == '\\') {
                high = next();
            }
            if (high == 0) {
                return FAIL;
            }
        }
        if (low <= fn && fn <= high) {
            return accepted();
        }
        return READ_ON;
    }

    /** {@code [:name:]}, or a literal {@code [} when what follows cannot be a class name. */
    private int namedClass() {
        int start = p;
        StringBuilder name = new StringBuilder();
        for (;;) {
            if (name.length() == CLASS_NAME_MAX) {
                return FAIL;
            }
            int c = at(++p);
            if (c == ':' && at(p + 1) == ']') {
                p += 2;
                break;
            }
            if (c < 'a' || c >= 'z') {
                p = start;
                return member('[');
            }
            name.append((char) c);
        }
        int cls = CharClass.lookup(name);
        if (cls < 0) {
            return FAIL;
        }
        return CharClass.test(cls, fn) ? accepted() : READ_ON;
    }

    /** {@code [=c=]}: in the C locale, the byte itself. */
    private int equivalenceClass() {
        int sym = at(p + 1);
        if (sym == 0 || at(p + 2) != '=' || at(p + 3) != ']') {
            return member('[');
        }
        p += 4;
        return fn == sym ? accepted() : READ_ON;
    }

    /** {@code [.c.]}: in the C locale only one-byte names exist. */
    private int collatingSymbol() {
        int start = p;
        int count = 0;
        for (;;) {
            int c = at(++p);
            if (c == '.' && at(p + 1) == ']') {
                p += 2;
                break;
            }
            if (c == 0) {
                return FAIL;
            }
            count++;
        }
        if (count != 1) {
            return FAIL;
        }
        int sym = at(start + 1);
        boolean isRange = at(p) == '-' && at(p + 1) != 0;
        if (!isRange && fn == sym) {
            return accepted();
        }
        return rangeFrom(sym);
    }

    /** The set accepted the byte: finds its end. An unterminated set fails; so does negation. */
    private int accepted() {
        for (;;) {
            int c = next();
            if (c == ']') {
                break;
            }
            if (c == 0) {
                return UNTERMINATED;
            }
            if (c == '\\') {
                if (at(p) == 0) {
                    return FAIL;
                }
                p++;
            } else if (c == '[' && at(p) == ':') {
                int start = p;
                int count = 0;
                for (;;) {
                    c = at(++p);
                    if (++count == CLASS_NAME_MAX) {
                        return FAIL;
                    }
                    if (at(p) == ':' && at(p + 1) == ']') {
                        break;
                    }
                    if (c < 'a' || c >= 'z') {
                        p = start - 2;
                        break;
                    }
                }
                p += 2;
            } else if (c == '[' && at(p) == '=') {
                if (at(p + 1) == 0 || at(p + 2) != '=' || at(p + 3) != ']') {
                    return FAIL;
                }
                p += 4;
            } else if (c == '[' && at(p) == '.') {
                for (;;) {
                    c = at(++p);
                    if (c == 0) {
                        return FAIL;
                    }
                    if (c == '.' && at(p + 1) == ']') {
                        break;
                    }
                }
                p += 2;
            }
        }
        return not ? FAIL : p;
    }
}
