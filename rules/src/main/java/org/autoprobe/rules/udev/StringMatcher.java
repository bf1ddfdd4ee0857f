package org.autoprobe.rules.udev;

import java.util.ArrayList;
import java.util.List;
import org.autoprobe.core.match.Glob;

/**
 * A compiled right-hand side of a {@code ==} or {@code !=} match, with udev's rules:
 * <ul>
 *   <li>an empty value matches the empty string (a missing value counts as empty);</li>
 *   <li>{@code "?*"} alone means "not empty";</li>
 *   <li>{@code SUBSYSTEM=="subsystem"} matches {@code subsystem}, {@code class} and {@code bus};</li>
 *   <li>otherwise the value is split at {@code |} into alternatives; an empty alternative (a leading,
 *       trailing or doubled {@code |}) matches the empty string;</li>
 *   <li>if the whole value holds {@code *}, {@code ?} or {@code [}, every alternative is an fnmatch
 *       pattern (flags 0); otherwise alternatives are compared as plain strings (a backslash is then
 *       an ordinary character);</li>
 *   <li>with the {@code i} prefix the comparison ignores ASCII case.</li>
 * </ul>
 * Instances are immutable and thread-safe; matching a plain value allocates nothing.
 */
final class StringMatcher {
    private enum Kind { EMPTY, SUBSYSTEM, PLAIN, GLOB }

    private final Kind kind;
    private final boolean negate;
    private final boolean caseInsensitive;
    private final boolean matchesEmpty;
    private final String[] plain;
    private final Glob[] globs;
    private final String[] prefixes;
    /** What it was compiled from, for {@link NameCondition} ({@code ==}/{@code !=}, {@code i}/{@code -}, the value). */
    private final String spec;

    private StringMatcher(String spec, Kind kind, boolean negate, boolean caseInsensitive, boolean matchesEmpty, String[] plain,
                          Glob[] globs, String[] prefixes) {
        this.spec = spec;
        this.kind = kind;
        this.negate = negate;
        this.caseInsensitive = caseInsensitive;
        this.matchesEmpty = matchesEmpty;
        this.plain = plain;
        this.globs = globs;
        this.prefixes = prefixes;
    }

    /**
     * Compiles {@code value} for a match ({@code nomatch} for {@code !=}). {@code subsystemKey} turns
     * on the {@code "subsystem"} special case; {@code alternatives} the {@code |} split.
     */
    static StringMatcher compile(String value, boolean nomatch, boolean caseInsensitive, boolean subsystemKey,
                                 boolean alternatives) {
        return build((nomatch ? "!=" : "==") + (caseInsensitive ? "i" : "-") + value, value, nomatch, caseInsensitive,
                subsystemKey, alternatives);
    }

    /**
     * The text {@link NameCondition#test} compiles again to this matcher (as a {@code KERNEL} or
     * {@code DEVPATH} key's: no subsystem special case, alternatives split).
     */
    String spec() {
        return spec;
    }

    private static StringMatcher build(String spec, String value, boolean nomatch, boolean caseInsensitive, boolean subsystemKey,
                                       boolean alternatives) {
        if (subsystemKey && (value.equals("subsystem") || value.equals("bus") || value.equals("class"))) {
            return new StringMatcher(spec, Kind.SUBSYSTEM, nomatch, caseInsensitive, false, null, null, null);
        }
        if (value.isEmpty()) {
            return new StringMatcher(spec, Kind.EMPTY, nomatch, false, true, null, null, null);
        }
        if (value.equals("?*")) {
            return new StringMatcher(spec, Kind.EMPTY, !nomatch, false, true, null, null, null);
        }
        boolean glob = Glob.hasWildcard(value);
        List<String> parts = new ArrayList<>();
        boolean empty = false;
        if (alternatives) {
            int start = 0;
            for (int i = 0; i <= value.length(); i++) {
                if (i == value.length() || value.charAt(i) == '|') {
                    if (i == start) {
                        empty = true;
                    } else {
                        parts.add(value.substring(start, i));
                    }
                    start = i + 1;
                }
            }
        } else {
            parts.add(value);
        }
        String[] texts = new String[parts.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = caseInsensitive && glob ? lower(parts.get(i)) : parts.get(i);
        }
        if (!glob) {
            return new StringMatcher(spec, Kind.PLAIN, nomatch, caseInsensitive, empty, texts, null, null);
        }
        Glob[] globs = new Glob[texts.length];
        String[] prefixes = new String[texts.length];
        for (int i = 0; i < texts.length; i++) {
            globs[i] = Glob.compile(texts[i]);
            prefixes[i] = literalPrefix(texts[i]);
        }
        return new StringMatcher(spec, Kind.GLOB, nomatch, caseInsensitive, empty, null, globs, prefixes);
    }

    /** Whether the match holds for {@code s} ({@code null} counts as the empty string). */
    boolean test(String s) {
        String text = s == null ? "" : s;
        return matches(text) != negate;
    }

    private boolean matches(String text) {
        switch (kind) {
            case EMPTY:
                return text.isEmpty();
            case SUBSYSTEM:
                return caseInsensitive
                        ? text.equalsIgnoreCase("subsystem") || text.equalsIgnoreCase("class")
                                || text.equalsIgnoreCase("bus")
                        : text.equals("subsystem") || text.equals("class") || text.equals("bus");
            case PLAIN:
                if (matchesEmpty && text.isEmpty()) {
                    return true;
                }
                for (String p : plain) {
                    if (caseInsensitive ? asciiEqualsIgnoreCase(p, text) : p.equals(text)) {
                        return true;
                    }
                }
                return false;
            default:
                if (matchesEmpty && text.isEmpty()) {
                    return true;
                }
                String t = caseInsensitive ? lower(text) : text;
                for (int i = 0; i < globs.length; i++) {
                    if (t.startsWith(prefixes[i]) && globs[i].matches(t)) {
                        return true;
                    }
                }
                return false;
        }
    }

    /** The characters before the first one fnmatch treats specially; every match starts with them. */
    private static String literalPrefix(String pattern) {
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\' || c == 0) {
                break;
            }
            i++;
        }
        return pattern.substring(0, i);
    }

    private static boolean asciiEqualsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (lower(a.charAt(i)) != lower(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                StringBuilder b = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    b.append(lower(s.charAt(j)));
                }
                return b.toString();
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return kind + (negate ? "!=" : "==") + (plain != null ? List.of(plain) : globs != null ? globs.length : "");
    }
}
