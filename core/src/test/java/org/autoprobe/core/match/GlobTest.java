package org.autoprobe.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GlobTest {
    /** Each row was checked against glibc 2.36's fnmatch(pattern, text, 0) in the C locale. */
    @ParameterizedTest(name = "[{0}] vs [{1}] -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "pci:v00008086d*sv*sd*bc02sc00i* | pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00 | true",
        "pci:v00008086d*sv*sd*bc02sc00i* | pci:v00008086d000010D3sv00008086sd00000000bc03sc00i00 | false",
        "usb:v13FDp3940d0[0-2]*dc*       | usb:v13FDp3940d0150dc00                              | true",
        "usb:v13FDp3940d0[0-2]*dc*       | usb:v13FDp3940d0350dc00                              | false",
        "*                               | ''                                                   | true",
        "?                               | ''                                                   | false",
        "a*b*c                           | axxbyybzc                                            | true",
        "a*b*c                           | axxbyybzcd                                           | false",
        "*a?                             | aab                                                  | true",
        "\\*                             | *                                                    | true",
        "\\*                             | a                                                    | false",
        "a\\                             | a\\                                                  | false",
        "[!a]                            | b                                                    | true",
        "[^a]                            | a                                                    | false",
        "[]a]                            | ]                                                    | true",
        "[a-]                            | -                                                    | true",
        "[[:digit:]x]                    | 7                                                    | true",
        "[[:digit:]x]                    | y                                                    | false",
        "[[:bogus:]x]                    | x                                                    | false",
        "[[=a=]]                         | a                                                    | true",
        "[[.a.]-c]                       | b                                                    | true",
        "[a                              | [a                                                   | true",
        "[a                              | a                                                    | false",
        "[[                              | [[                                                   | true",
        "[[0                             | [0                                                   | false",
        "[*                              | [xyz                                                 | true",
        "A                               | a                                                    | false",
        "/.*                             | /.x                                                  | true",
    })
    void matchesLikeGlibc(String pattern, String text, boolean expected) {
        String t = text.equals("''") ? "" : text;
        assertEquals(expected, Glob.matches(pattern, t));
        assertEquals(expected, Glob.compile(pattern).matches(t));
    }

    @Test
    void hasWildcardUsesKmodCharacters() {
        assertTrue(Glob.hasWildcard("pci:v*"));
        assertTrue(Glob.hasWildcard("a?"));
        assertTrue(Glob.hasWildcard("d0[0-2]"));
        assertFalse(Glob.hasWildcard("fs_ext4"));
        assertFalse(Glob.hasWildcard("a\\b"));
        assertFalse(Glob.hasWildcard("a]"));
    }

    @Test
    void stringsEndAtNulAndCompareAsUtf8() {
        assertTrue(Glob.matches("ab\0zz", "ab"));
        assertTrue(Glob.matches("a*", "ab\0c"));
        assertTrue(Glob.matches("??", "\u00e9"));
        assertFalse(Glob.matches("?", "\u00e9"));
        assertFalse(Glob.matches("[[:alpha:]]", "\u00e9"));
    }

    @Test
    void byteFormMatchesASlice() {
        byte[] text = "xxpci:v1234yy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] pattern = "pci:v*".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(Glob.matches(pattern, pattern.length, text, 2, 11));
        assertFalse(Glob.matches(pattern, 3, text, 2, 11));
        assertTrue(Glob.matches(pattern, 3, text, 2, 5));
    }
}
