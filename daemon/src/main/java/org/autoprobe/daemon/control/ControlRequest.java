package org.autoprobe.daemon.control;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One request line: a command word and its arguments, separated by blanks.
 *
 * @param command the first word, lower-cased
 * @param args    the other words
 * @param uid     the peer's user id (0 for root, -1 when not root and the number is unknown)
 */
public record ControlRequest(String command, List<String> args, int uid) {
    /** The longest request line accepted. */
    public static final int MAX_LINE = 4096;

    public ControlRequest {
        Objects.requireNonNull(command, "command");
        args = List.copyOf(args);
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
