package org.autoprobe.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

class GlobProperties {
    /** Characters with no meaning to fnmatch. */
    private static final String PLAIN = "abcdefxyzABC0189:_-.!^]/ ";

    @Property
    void aPatternWithoutMetacharactersMatchesOnlyItself(
            @ForAll @Chars({'a', 'b', ':', '-', ']', '!', '.'}) @StringLength(max = 6) String pattern,
            @ForAll @Chars({'a', 'b', ':', '-', ']', '!', '.'}) @StringLength(max = 6) String text) {
        assertEquals(pattern.equals(text), Glob.matches(pattern, text));
        assertTrue(Glob.matches(pattern, pattern));
    }

    @Property
    void aStarMatchesEverything(@ForAll @CharRange(from = 1, to = 0x7f) String text) {
        assertTrue(Glob.matches("*", text));
        assertTrue(Glob.matches("**", text));
    }

    @Property
    void wildcardsPunchedIntoAStringStillMatchIt(
            @ForAll @CharRange(from = 1, to = 0x7f) @StringLength(max = 30) String text, @ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder pattern = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int kind = random.nextInt(6);
            if (kind == 0) {
                int skip = random.nextInt(text.length() - i + 1);
                pattern.append('*');
                i += skip;
            } else if (kind == 1) {
                pattern.append('?');
                i++;
            } else {
                char c = text.charAt(i++);
                if (c == '*' || c == '?' || c == '[' || c == '\\') {
                    pattern.append('\\');
                }
                pattern.append(c);
            }
        }
        if (random.nextBoolean()) {
            pattern.append('*');
        }
        assertTrue(Glob.matches(pattern.toString(), text), () -> pattern + " should match " + text);
    }

    @Property(tries = 3000)
    void agreesWithARegexTranslationOnWellFormedPatterns(@ForAll("wellFormed") List<String> tokens,
            @ForAll("texts") String text) {
        String pattern = String.join("", tokens);
        boolean expected = toRegex(tokens).matcher(text).matches();
        assertEquals(expected, Glob.matches(pattern, text), () -> pattern + " vs " + text);
    }

    @Property(tries = 3000)
    void agreesWithTheRegexOnTextsBuiltToMatch(@ForAll("wellFormed") List<String> tokens, @ForAll long seed) {
        String text = sample(tokens, new Random(seed));
        String pattern = String.join("", tokens);
        assertEquals(toRegex(tokens).matcher(text).matches(), Glob.matches(pattern, text),
                () -> pattern + " vs " + text);
        assertTrue(Glob.matches(pattern, text), () -> pattern + " should match " + text);
    }

    @Provide
    Arbitrary<List<String>> wellFormed() {
        Arbitrary<String> literal = Arbitraries.of("a", "b", "c", "0", "1", ":", "-", ".", "!");
        Arbitrary<String> escaped = Arbitraries.of("\\*", "\\?", "\\[", "\\\\", "\\a");
        Arbitrary<String> member = Arbitraries.of("a", "b", "c", "0", "1", ":", ".", "a-b", "a-c", "b-c", "0-1", "0-c");
        Arbitrary<String> bracket = Combinators.combine(Arbitraries.of("", "!", "^"),
                member.list().ofMinSize(1).ofMaxSize(3)).as((neg, ms) -> "[" + neg + String.join("", ms) + "]");
        Arbitrary<String> token = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, literal), net.jqwik.api.Tuple.of(3, Arbitraries.just("*")),
                net.jqwik.api.Tuple.of(2, Arbitraries.just("?")), net.jqwik.api.Tuple.of(2, bracket),
                net.jqwik.api.Tuple.of(1, escaped));
        return token.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("abc01:-.!*?[\\").ofMaxLength(10);
    }

    /** The reference: a regular expression with the same meaning, for patterns built from tokens. */
    private static Pattern toRegex(List<String> tokens) {
        StringBuilder re = new StringBuilder();
        for (String t : tokens) {
            if (t.equals("*")) {
                re.append(".*");
            } else if (t.equals("?")) {
                re.append('.');
            } else if (t.startsWith("\\")) {
                re.append(Pattern.quote(t.substring(1)));
            } else if (t.startsWith("[")) {
                String body = t.substring(1, t.length() - 1);
                boolean negated = body.startsWith("!") || body.startsWith("^");
                if (negated) {
                    body = body.substring(1);
                }
                re.append(negated ? "[^" : "[");
                for (char c : body.toCharArray()) {
                    re.append(Character.isLetterOrDigit(c) || c == '-' ? String.valueOf(c) : "\\" + c);
                }
                re.append(']');
            } else {
                re.append(Pattern.quote(t));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** A text the tokens match: each token replaced by something it accepts. */
    private static String sample(List<String> tokens, Random random) {
        StringBuilder out = new StringBuilder();
        for (String t : tokens) {
            if (t.equals("*")) {
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    out.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
                }
            } else if (t.equals("?")) {
                out.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
            } else if (t.startsWith("\\")) {
                out.append(t.charAt(1));
            } else if (t.startsWith("[")) {
                List<Character> accepted = new ArrayList<>();
                Pattern set = toRegex(List.of(t));
                for (char c = 1; c < 128; c++) {
                    if (set.matcher(String.valueOf(c)).matches()) {
                        accepted.add(c);
                    }
                }
                out.append(accepted.get(random.nextInt(accepted.size())));
            } else {
                out.append(t);
            }
        }
        return out.toString();
    }
}
