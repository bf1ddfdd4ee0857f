package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class JsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property
    void everyStringParsesBackToItself(@ForAll String s) throws Exception {
        String back = JSON.readTree(Json.string(s)).asText();
        // a lone surrogate cannot travel through UTF-16 JSON unchanged: it is escaped and read back as itself
        assertEquals(s, back);
    }

    @org.junit.jupiter.api.Test
    void controlCharactersQuotesAndNull() throws Exception {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\\u007f\"", Json.string("a\"b\\c\n\u0001\u007f"));
        assertEquals("null", Json.string(null));
    }
}
