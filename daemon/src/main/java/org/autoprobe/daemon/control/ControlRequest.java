package org.autoprobe.daemon.control;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One request line: a command word and its arguments, separated by blanks.
 *
 * @param command the first word, lower-cased
 * @param args    the other words
 * @param uid     the peer's numeric user id from {@code SO_PEERCRED} (0 for root)
 */
public record ControlRequest(String command, List<String> args, int uid) {
    /** The longest request line accepted. */
    static final int MAX_LINE = 4096;

    public ControlRequest {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
    }

    /**
     * The text of a request line as it came off the socket (without its newline): UTF-8, at most
     * {@link #MAX_LINE} bytes, no control characters but tab (a final carriage return is dropped).
     *
     * @throws ControlException saying what is wrong and where, for an {@code ERR} answer
     */
    static String decode(byte[] line, int length) throws ControlException {
        int n = length;
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        if (n > MAX_LINE) {
            throw new ControlException("invalid request: longer than " + MAX_LINE + " bytes");
        }
        for (int i = 0; i < n; i++) {
            int b = line[i] & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                throw new ControlException(String.format("invalid request: control byte 0x%02x at offset %d", b, i));
            }
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(line, 0, n);
        try {
            return d.decode(in).toString();
        } catch (CharacterCodingException e) {
            // the decoder stops where the bad sequence starts
            throw new ControlException("invalid request: not UTF-8 (at offset " + in.position() + ")");
        }
    }

    /** Parses a line; an empty line is the command {@code ""}. */
    public static ControlRequest parse(String line, int uid) {
        String[] words = line.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return new ControlRequest("", List.of(), uid);
        }
        return new ControlRequest(words[0].toLowerCase(Locale.ROOT), Arrays.asList(words).subList(1, words.length), uid);
    }
}
