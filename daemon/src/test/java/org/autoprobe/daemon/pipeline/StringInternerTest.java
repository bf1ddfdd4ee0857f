package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StringInternerTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theSameBytesGiveTheSameStringWhereverTheyLie() {
        StringInterner strings = new StringInterner(64);
        String a = strings.intern(bytes("xxpci:v00008086d000015BCsv*yy"), 2, 27);
        assertEquals("pci:v00008086d000015BCsv*", a);
        assertSame(a, strings.intern(bytes("pci:v00008086d000015BCsv*"), 0, 25));
        assertEquals(1, strings.size());
    }

    @Test
    void textsThatDifferInAnyByteOrInLengthAreDifferentStrings() {
        StringInterner strings = new StringInterner(256);
        String base = "/devices/pci0000:00/0000:00:1f.6/net/eth0";
        String s = strings.intern(bytes(base), 0, base.length());
        for (int i = 0; i < base.length(); i++) {
            byte[] b = bytes(base);
            b[i] ^= 1;
            String t = strings.intern(b, 0, b.length);
            assertEquals(new String(b, StandardCharsets.ISO_8859_1), t);
        }
        assertEquals("/devices/pci0000:00/0000:00:1f.6/net/eth", strings.intern(bytes(base), 0, base.length() - 1));
        assertEquals("", strings.intern(bytes(base), 3, 3));
        assertSame(s, strings.intern(bytes(base), 0, base.length()));
    }

    @Test
    void bytesAbove127ReadAsOneCharEach() {
        StringInterner strings = new StringInterner(16);
        byte[] b = {'a', (byte) 0xe9, (byte) 0xff};
        assertEquals("a\u00e9\u00ff", strings.intern(b, 0, 3));
    }

    @Test
    void whenHalfFullItStartsOverAndStillAnswersRight() {
        StringInterner strings = new StringInterner(8);
        String first = strings.intern(bytes("k0"), 0, 2);
        for (int i = 1; i < 4; i++) {
            strings.intern(bytes("k" + i), 0, 2);
        }
        assertEquals(4, strings.size());
        assertSame(first, strings.intern(bytes("k0"), 0, 2));
        String fifth = strings.intern(bytes("k4"), 0, 2);
        assertEquals(1, strings.size(), "started over");
        assertSame(fifth, strings.intern(bytes("k4"), 0, 2));
        String again = strings.intern(bytes("k0"), 0, 2);
        assertEquals("k0", again);
        assertNotSame(first, again, "forgotten, made anew");
    }

    @Test
    void theCapacityIsAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new StringInterner(12));
    }
}
