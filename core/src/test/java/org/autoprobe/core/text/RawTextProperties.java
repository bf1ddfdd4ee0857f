package org.autoprobe.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class RawTextProperties {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    /** Any bytes come back exactly, through the static encoder and through the writer. */
    @Property(tries = 2000)
    void anyBytesRoundTrip(@ForAll @Size(max = 64) byte[] bytes) throws IOException {
        String text = RawText.decode(bytes);
        assertArrayEquals(bytes, RawText.encode(text));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Writer w = RawText.writer(out)) {
            for (int i = 0; i < text.length(); i++) {
                w.write(text.charAt(i)); // a surrogate pair split across two writes
                if (i % 7 == 0) {
                    w.flush();
                }
            }
        }
        assertArrayEquals(bytes, out.toByteArray());
    }

    /** Valid UTF-8 reads as Java reads it; Java text writes as UTF-8. */
    @Property(tries = 1000)
    void validUtf8IsOrdinaryText(@ForAll String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (new String(utf8, StandardCharsets.UTF_8).equals(s)) { // no lone surrogates in s
            assertEquals(s, RawText.decode(utf8));
            assertArrayEquals(utf8, RawText.encode(s));
        }
    }

    @Example
    void escapesEveryByteOfAnInvalidSequence() {
        // 0xff 0xfe, then a valid U+00E9, then an encoded surrogate, an overlong NUL, a truncated
        // three-byte sequence, a code point past U+10FFFF, and a four-byte character
        byte[] b = hex("fffe" + "c3a9" + "eda080" + "c080" + "e282" + "f4908080" + "f09f9880" + "41");
        String t = RawText.decode(b);
        assertEquals("\udcff\udcfe\u00e9\udced\udca0\udc80\udcc0\udc80\udce2\udc82\udcf4\udc90\udc80\udc80"
                + "\ud83d\ude00A", t);
        assertTrue(RawText.isEscape(t.charAt(0)));
        assertFalse(RawText.isEscape(t.charAt(2)));
        assertArrayEquals(b, RawText.encode(t));
    }

    @Example
    void aLoneSurrogateFromJavaIsAQuestionMark() {
        assertArrayEquals("?a?".getBytes(StandardCharsets.US_ASCII), RawText.encode("\ud800a\udc00"));
        assertArrayEquals("x?".getBytes(StandardCharsets.US_ASCII), RawText.encode("x\ud800"));
    }

    @Example
    void cStringEndsAtTheFirstNul() {
        assertArrayEquals(new byte[] {'a', (byte) 0xff, 0}, RawText.cString("a\udcff\0b"));
        assertEquals("a", RawText.beforeNul("a\0b"));
        assertEquals("ab", RawText.beforeNul("ab"));
    }

    @Example
    void byteStringsAreReadAsTheirBytes() {
        String isoBytes = new String(hex("fffec3a9"), StandardCharsets.ISO_8859_1);
        assertEquals("\udcff\udcfe\u00e9", RawText.fromByteString(isoBytes));
    }
}
