package org.autoprobe.core.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** glibc fnmatch(pattern, string, 0), as kmod uses it for config globs. */
class GlobConfigCasesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pci:v000010ECd*|pci:v000010ECd00008139sv0|true",
            "pci:v000010ECd*|pci:v000010EDd00008139sv0|false",
            "*|''|true",
            "a*b*c|aXbYbZc|true",
            "a*b*c|aXbYbZ|false",
            "a?c|abc|true",
            "a?c|ac|false",
            "[abc]x|bx|true",
            "[!abc]x|bx|false",
            "[^abc]x|dx|true",
            "[a-c]|b|true",
            "[a-c]|d|false",
            "[]]|]|true",
            "[a-]|-|true",
            "[[:digit:]]z|7z|true",
            "[[:digit:]]z|az|false",
            "a[b|a[b|true",
            "a\\*|a*|true",
            "a\\*|ab|false",
            "a\\|a|false",
            "/x/*|/x/y/z|true",
            "*.ko|.ko|true",
            "usb:v*p*d*dc*dsc*dp*ic03isc01ip02in*|usb:v046Dp0A37d0100dc00dsc00dp00ic03isc01ip02in03|true",
    })
    void matchesLikeGlibc(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.matches(pattern, text), pattern + " vs " + text);
    }
}
