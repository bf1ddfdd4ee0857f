package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.core.text.RawText;
import org.junit.jupiter.api.Test;

/** {@link Json}'s strings, parsed back by Jackson: any text, as it is printed (through {@link RawText}'s bytes). */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What {@code text} becomes on the way out: its bytes as the commands' writer prints them, parsed as UTF-8 JSON. */
    private static JsonNode printedAndParsed(String json) throws Exception {
        byte[] bytes = RawText.encode(json);
        // the output must be valid UTF-8: a strict decode fails otherwise
        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
        return MAPPER.readTree(bytes);
    }

    @Test
    void escapesWhatJsonRequiresAndKeepsTheRest() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\u00e9\u4e2d\ud83d\ude00\"",
                Json.string(new StringBuilder(), "a\"b\\c\n\r\t\b\f\0\u001f\u007f\u00e9\u4e2d\ud83d\ude00").toString());
        assertEquals("[]", Json.strings(new StringBuilder(), List.of()).toString());
        assertEquals("[\"8139cp\",\"8139too\"]", Json.strings(new StringBuilder(), List.of("8139cp", "8139too")).toString());
    }

    @Test
    void aLoneSurrogateIsEscapedSoTheOutputStaysUtf8() throws Exception {
        String raw = RawText.decode(new byte[] {'x', (byte) 0xE9, 'y'});
        String json = Json.string(new StringBuilder(), raw).toString();
        assertEquals("\"x\\udce9y\"", json);
        assertEquals(raw, printedAndParsed(json).asText());
        assertEquals("\"\\ud83d\"", Json.string(new StringBuilder(), "\ud83d").toString());
        assertEquals("\"\\ude00\\ud83d\"", Json.string(new StringBuilder(), "\ude00\ud83d").toString());
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("\"\\\n\u0000\u007f\u00e9\ud83d\ude00\udce9a").ofMaxLength(20));
    }

    @Property(tries = 2000)
    void anyTextComesBackAsItWas(@ForAll("texts") String text) throws Exception {
        String json = Json.string(new StringBuilder(), text).toString();
        assertEquals(text, printedAndParsed(json).asText());
        for (char c : json.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f, "a control character left raw in " + json);
        }
    }

    @Property(tries = 500)
    void anyListComesBackAsItWas(@ForAll("lists") List<String> values) throws Exception {
        JsonNode node = printedAndParsed(Json.strings(new StringBuilder(), values).toString());
        assertEquals(values.size(), node.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i), node.get(i).asText());
        }
    }

    @Provide
    Arbitrary<List<String>> lists() {
        return texts().list().ofMaxSize(5);
    }

    @Test
    void theStringFormIsTheBuildersAndNullIsNull() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\\u007f\"", Json.string("a\"b\\c\n\u0001\u007f"));
        assertEquals("null", Json.string((String) null));
    }
}
