package org.autoprobe.rules.modprobe;

import java.util.List;
import java.util.function.Consumer;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.config.ModprobeConfig.WeakDep;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.text.RawText;

/**
 * Parses one modprobe.d file as kmod 30 does, plus kmod 34's {@code weakdep}.
 *
 * <p>Directives: {@code alias}, {@code options}, {@code install}, {@code remove},
 * {@code blacklist}, {@code softdep}, and {@code weakdep MODULE NAME...}, which kmod 30 rejects as
 * a bad line and kmod 34 reads like a softdep without groups: the module name normalised, at
 * least something after it, the names cut at C spaces and kept as written (an empty list when
 * only blanks follow). {@code include} and {@code config} are reported as no longer supported. A line
 * whose first byte is {@code #} is a comment; a {@code #} after leading blanks is not (kmod
 * reports it as a bad line). Words are separated by spaces and tabs. Every module name and alias
 * pattern has its '-' turned into '_' outside {@code [...]}; unbalanced brackets make the line
 * bad. Options, install and remove commands keep the text after the one blank that ends the
 * module name verbatim (further blanks included); options get their tabs turned into spaces.
 * Anything unknown or incomplete gives one warning naming file and line, and the rest goes on.
 */
public final class ModprobeConfigParser {
    private ModprobeConfigParser() {
    }

    /** Parses a file given as its physical lines (each taken as ended by '\n'). */
    public static ModprobeConfig parse(String fileName, List<String> lines, Consumer<String> warnings) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        return parse(fileName, RawText.encode(sb), warnings);
    }

    /** Parses a file given as its raw bytes. */
    public static ModprobeConfig parse(String fileName, byte[] content, Consumer<String> warnings) {
        ConfigBuilder builder = new ConfigBuilder();
        parseInto(builder, fileName, content, warnings);
        return builder.build();
    }

    static void parseInto(ConfigBuilder out, String fileName, byte[] content, Consumer<String> warnings) {
        for (LogicalLines.Line line : LogicalLines.split(content)) {
            parseLine(out, fileName, line, warnings);
        }
    }

    private static void parseLine(ConfigBuilder out, String fileName, LogicalLines.Line line,
                                  Consumer<String> warnings) {
        String text = line.text();
        if (text.isEmpty() || text.charAt(0) == '#') {
            return;
        }
        out.at(fileName + ":" + line.lineNumber());
        Words words = new Words(text);
        String cmd = words.next();
        if (cmd == null) {
            return;
        }
        boolean ok;
        switch (cmd) {
            case "alias" -> {
                String pattern = name(words.next());
                String module = name(words.next());
                ok = pattern != null && module != null;
                if (ok) {
                    out.alias(pattern, module);
                }
            }
            case "blacklist" -> {
                String module = name(words.next());
                ok = module != null;
                if (ok) {
                    out.blacklist(module);
                }
            }
            case "options", "install", "remove", "softdep", "weakdep" -> {
                String module = name(words.next());
                String rest = words.rest();
                ok = module != null && rest != null;
                if (ok) {
                    switch (cmd) {
                        case "options" -> out.options(module, rest);
                        case "install" -> out.install(module, rest);
                        case "remove" -> out.remove(module, rest);
                        case "weakdep" -> out.weakdep(new WeakDep(module, SoftDepParser.words(rest)));
                        default -> out.softdep(SoftDepParser.parse(module, rest));
                    }
                }
            }
            case "include", "config" -> {
                warnings.accept(fileName + ":" + line.lineNumber() + ": command '" + cmd
                        + "' is no longer supported, line ignored");
                ok = true;
            }
            default -> ok = false;
        }
        if (!ok) {
            warnings.accept(fileName + ":" + line.lineNumber() + ": ignoring bad line starting with '" + cmd + "'");
        }
    }

    /** kmod's underscores(): null for a missing word or unbalanced brackets. */
    private static String name(String word) {
        return word == null ? null : ModuleNames.normalizeAlias(word);
    }

    /** strtok_r over spaces and tabs, plus strtok_r with no delimiters for "the rest". */
    private static final class Words {
        private final String text;
        private int pos;

        Words(String text) {
            this.text = text;
        }

        private static boolean isDelimiter(char c) {
            return c == ' ' || c == '\t';
        }

        String next() {
            int n = text.length();
            while (pos < n && isDelimiter(text.charAt(pos))) {
                pos++;
            }
            if (pos >= n) {
                return null;
            }
            int start = pos;
            while (pos < n && !isDelimiter(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (pos < n) {
                pos++; // the one delimiter that ended the word is consumed
            }
            return word;
        }

        String rest() {
            if (pos >= text.length()) {
                return null;
            }
            String rest = text.substring(pos);
            pos = text.length();
            return rest;
        }
    }
}
