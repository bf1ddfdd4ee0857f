package org.autoprobe.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line's options read without picocli, in the plain forms only, for start paths that
 * skip picocli's model ({@link DaemonCommand#fastPath}). What it takes is read as picocli would
 * read it; anything else makes {@link #parse} return null, and the command line goes to picocli,
 * which stays the one definition of the syntax (help, version, errors and their messages).
 *
 * <p>The plain forms: {@code --name VALUE}, {@code --name=VALUE}, {@code -x VALUE},
 * {@code -xVALUE}, {@code -x=VALUE}, and flags alone ({@code -x}, {@code --name}). Not taken (for
 * picocli): clustered short options ({@code -nd DIR}), a flag with a value, an option given twice
 * unless it is repeatable, a missing or empty value, a value that starts with {@code -} or
 * {@code @}, {@code @files}, {@code --}, positional arguments, unknown options, and every command
 * line when the system property {@code picocli.trimQuotes} is set (picocli would unquote values).
 */
final class PlainOptions {
    private PlainOptions() {
    }

    /** How many values an option takes. */
    enum Arity {
        /** None: a boolean flag. */
        FLAG,
        /** One, once. */
        ONE,
        /** One each time; the option may be repeated. */
        REPEATABLE
    }

    /**
     * An option as its {@code @Option} annotation declares it: the same names, shortest first, so
     * that {@link #key} (the last) is the longest, the name picocli reports it by.
     */
    record Spec(Arity arity, String... names) {
        String key() {
            return names[names.length - 1];
        }
    }

    /** One option as given: its {@link Spec#key}, and its value (null for a flag). */
    record Given(String key, String value) {
    }

    /**
     * The options {@code args[from..]} give, in order, or null when any argument is not one of
     * {@code specs} in a plain form (see the class comment).
     */
    static List<Given> parse(String[] args, int from, List<Spec> specs) {
        if (System.getProperty("picocli.trimQuotes") != null) {
            return null;
        }
        Map<String, Spec> byName = new HashMap<>();
        for (Spec s : specs) {
            for (String n : s.names()) {
                byName.put(n, s);
            }
        }
        Set<String> seen = new HashSet<>();
        List<Given> given = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            Spec spec = byName.get(a);
            String value = null;
            if (spec == null) { // a value attached: --name=VALUE, -xVALUE, -x=VALUE
                String name;
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    if (eq < 0) {
                        return null;
                    }
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                } else if (a.length() > 2 && a.charAt(0) == '-') {
                    name = a.substring(0, 2);
                    value = a.substring(a.charAt(2) == '=' ? 3 : 2);
                } else {
                    return null; // positional, '-', '@file'
                }
                spec = byName.get(name);
                if (spec == null || spec.arity() == Arity.FLAG) {
                    return null; // unknown, or a flag clustered or with a value
                }
            } else if (spec.arity() != Arity.FLAG) {
                if (i + 1 == args.length) {
                    return null;
                }
                value = args[++i];
            }
            if (value != null && (value.isEmpty() || value.startsWith("-") || value.startsWith("@"))) {
                return null;
            }
            if (spec.arity() != Arity.REPEATABLE && !seen.add(spec.key())) {
                return null;
            }
            given.add(new Given(spec.key(), value));
        }
        return given;
    }

    /** {@code value} as picocli's converter makes a {@link Path} of it, or null where picocli would fail. */
    static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * {@code value} as an {@code int}, or -1 unless it is only ASCII digits and fits: the values
     * that picocli's converter ({@code Integer.valueOf}) reads the same way and that need no
     * error (a sign, other digits, an overflow go to picocli).
     */
    static int intValue(String value) {
        long n = longValue(value);
        return n <= Integer.MAX_VALUE ? (int) n : -1;
    }

    /** {@code value} as a {@code long}, or -1 unless it is only ASCII digits and fits (see {@link #intValue}). */
    static long longValue(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1; // more than Long.MAX_VALUE
        }
    }
}
