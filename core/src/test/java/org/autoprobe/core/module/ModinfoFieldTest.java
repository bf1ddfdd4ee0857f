package org.autoprobe.core.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

import org.junit.jupiter.api.Test;

class ModinfoFieldTest {
    /** The byte-range parser answers as the String one, for any record, at any place in a larger array. */
    @Property
    void bytesParseAsTheStringDoes(@ForAll @CharRange(from = 1, to = 255) @StringLength(max = 40) String record,
            @ForAll @StringLength(max = 5) @CharRange(from = 'a', to = 'z') String before) {
        byte[] b = (before + record + "\0x").getBytes(StandardCharsets.ISO_8859_1);
        int from = before.length();
        assertEquals(ModinfoField.parse(record), ModinfoField.parse(b, from, from + record.length()));
    }

    @Test
    void commonKeysAreShared() {
        byte[] b = "alias=pci:v*".getBytes(StandardCharsets.ISO_8859_1);
        assertSame("alias", ModinfoField.parse(b, 0, b.length).key());
        assertEquals(new ModinfoField("aliasx", ""), ModinfoField.parse("aliasx".getBytes(StandardCharsets.ISO_8859_1), 0, 6));
        assertEquals(new ModinfoField("", "v"), ModinfoField.parse("=v".getBytes(StandardCharsets.ISO_8859_1), 0, 2));
    }
}
