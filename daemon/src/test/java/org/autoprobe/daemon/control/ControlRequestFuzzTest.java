package org.autoprobe.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the control socket's request line (the bytes a client sends, decoded as the
 * server decodes them): any line gives a request, never an exception. A blank line is the empty
 * command with no arguments; otherwise the command is the first word, lower-cased, and the
 * arguments are the other words, none empty and none holding a blank; the peer's uid is kept;
 * and the words, written back with single spaces, parse to the same request.
 */
class ControlRequestFuzzTest {
    /**
     * The bytes off the socket, as the server decodes them: either text with no control character
     * but tab, valid UTF-8 that encodes back to the same bytes, or a ControlException whose
     * message starts "invalid request: " (the client's {@code ERR}); never another exception.
     */
    @FuzzTest
    void decodeRequestBytes(byte[] data) {
        String text;
        try {
            text = ControlRequest.decode(data, data.length);
        } catch (ControlException e) {
            assertTrue(e.getMessage().startsWith("invalid request: "), e.getMessage());
            return;
        }
        int n = data.length > 0 && data[data.length - 1] == '\r' ? data.length - 1 : data.length;
        assertTrue(n <= ControlRequest.MAX_LINE, "a line of " + n + " bytes accepted");
        assertEquals(new String(data, 0, n, StandardCharsets.ISO_8859_1),
                new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), "not the sent bytes");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertFalse((c < 0x20 && c != '\t') || c == 0x7f, "control character " + (int) c + " accepted");
        }
        ControlRequest.parse(text, 1000);
    }

    @FuzzTest
    void parseRequestLine(byte[] data) {
        int uid = data.length > 0 && (data[0] & 1) != 0 ? 0 : 1000;
        int n = Math.min(Math.max(0, data.length - 1), ControlRequest.MAX_LINE);
        String line = new String(data, Math.min(1, data.length), n, StandardCharsets.UTF_8);
        ControlRequest r = ControlRequest.parse(line, uid);
        assertEquals(uid, r.uid());
        if (line.strip().isEmpty()) {
            assertEquals("", r.command());
            assertTrue(r.args().isEmpty());
            return;
        }
        List<String> words = new ArrayList<>();
        words.add(r.command());
        words.addAll(r.args());
        assertEquals(r.command().toLowerCase(Locale.ROOT), r.command(), "the command is lower-cased");
        for (String w : words) {
            assertFalse(w.isEmpty(), "an empty word in " + words);
            assertFalse(w.matches("(?s).*\\s.*"), "a blank inside the word '" + w + "'");
        }
        ControlRequest again = ControlRequest.parse(String.join(" ", words), uid);
        assertEquals(r, again, "the request written back parses differently");
    }
}
