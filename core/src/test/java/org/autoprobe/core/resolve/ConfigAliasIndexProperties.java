package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.match.Glob;

/** The indexed config-alias match gives exactly what a scan of every line with {@link Glob} gives, in config order. */
class ConfigAliasIndexProperties {
    /** Few characters, so that patterns and strings often share prefixes and match. */
    private static final String TEXT = "ab:-_";
    private static final String PATTERN = "ab:-_*?[]!\\\0";

    private static List<ModprobeConfig.Alias> scan(List<ModprobeConfig.Alias> aliases, String s) {
        List<ModprobeConfig.Alias> out = new ArrayList<>();
        for (ModprobeConfig.Alias a : aliases) {
            if (Glob.matches(a.pattern(), s)) {
                out.add(a);
            }
        }
        return out;
    }

    @Property(tries = 2000)
    void sameLinesInSameOrderAsAScan(@ForAll("aliases") List<ModprobeConfig.Alias> aliases,
            @ForAll("texts") List<String> texts) {
        ConfigAliasIndex index = new ConfigAliasIndex(aliases);
        for (String s : texts) {
            assertEquals(scan(aliases, s), index.matches(s), "string '" + s + "' against " + aliases);
        }
        // each pattern as a string too: literal patterns must find themselves
        for (ModprobeConfig.Alias a : aliases) {
            assertEquals(scan(aliases, a.pattern()), index.matches(a.pattern()), "pattern as string: " + a.pattern());
        }
    }

    @Provide
    Arbitrary<List<ModprobeConfig.Alias>> aliases() {
        Arbitrary<String> pattern = Arbitraries.strings().withChars(PATTERN.toCharArray()).ofMaxLength(6);
        Arbitrary<String> module = Arbitraries.of("m1", "m2", "m3");
        return pattern.flatMap(p -> module.map(m -> new ModprobeConfig.Alias(p, m))).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return Arbitraries.strings().withChars((TEXT + "*?[\\\0").toCharArray()).ofMaxLength(7).list().ofMaxSize(8);
    }

    @Example
    void orderIsConfigOrderAcrossLiteralAndWildcardLines() {
        List<ModprobeConfig.Alias> aliases = List.of(
                new ModprobeConfig.Alias("pci:v1*", "a"),
                new ModprobeConfig.Alias("pci:v1d2", "b"),
                new ModprobeConfig.Alias("*", "c"),
                new ModprobeConfig.Alias("pci:v1d2", "d"),
                new ModprobeConfig.Alias("pci:v[0-9]d?", "e"),
                new ModprobeConfig.Alias("pci:v2*", "f"),
                new ModprobeConfig.Alias("pci:", "g"));
        List<String> names = new ArrayList<>();
        for (ModprobeConfig.Alias a : new ConfigAliasIndex(aliases).matches("pci:v1d2")) {
            names.add(a.module());
        }
        assertEquals(List.of("a", "b", "c", "d", "e"), names);
        assertEquals(List.of(), new ConfigAliasIndex(List.of()).matches("x"));
        assertEquals(List.of(), new ConfigAliasIndex(aliases.subList(5, 7)).matches("pci:v1d2"));
    }

    /**
     * Patterns with long literal prefixes that part at several points (each prefix one edge of the
     * tree, split where another prefix ends or differs), matched by strings of a megabyte.
     */
    @Example
    void longPrefixesSplitAndMatch() {
        String a = "pci:" + "a".repeat(1 << 20);
        List<ModprobeConfig.Alias> aliases = List.of(new ModprobeConfig.Alias(a + "*", "m1"),
                new ModprobeConfig.Alias("pci:aaa*", "m2"), new ModprobeConfig.Alias(a.substring(0, 5000) + "b?", "m3"),
                new ModprobeConfig.Alias("pci:*", "m4"), new ModprobeConfig.Alias(a, "m5"));
        ConfigAliasIndex index = new ConfigAliasIndex(aliases);
        for (String s : new String[] {a, a + "x", a.substring(0, 5000) + "bc", "pci:aaab", "pci:", a.substring(0, 7000) + "b"}) {
            assertEquals(scan(aliases, s), index.matches(s), s.length() + " chars");
        }
    }
}
