package org.autoprobe.core.match;

/** The POSIX character classes of the C locale: ASCII only, no byte above 127 is in any. */
final class CharClass {
    private static final String[] NAMES = {
        "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit",
    };

    private CharClass() {
    }

    /** The class's number, or -1 for a name that is no class. */
    static int lookup(CharSequence name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].contentEquals(name)) {
                return i;
            }
        }
        return -1;
    }

    static boolean test(int cls, int b) {
        if (b > 127) {
            return false;
        }
        boolean upper = b >= 'A' && b <= 'Z';
        boolean lower = b >= 'a' && b <= 'z';
        boolean digit = b >= '0' && b <= '9';
        boolean graph = b > 32 && b < 127;
        switch (cls) {
            case 0: return upper || lower || digit;
            case 1: return upper || lower;
            case 2: return b == ' ' || b == '\t';
            case 3: return b < 32 || b == 127;
            case 4: return digit;
            case 5: return graph;
            case 6: return lower;
            case 7: return graph || b == ' ';
            case 8: return graph && !(upper || lower || digit);
            case 9: return b == ' ' || (b >= '\t' && b <= '\r');
            case 10: return upper;
            case 11: return digit || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
            default: throw new IllegalArgumentException("no character class " + cls);
        }
    }
}
