package org.autoprobe.rules.udev;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled {@code RUN{builtin}="kmod load [NAME...]"} command. As udev does, the value is first
 * expanded ({@code $env{KEY}}/{@code %E{KEY}}, {@code $kernel}/{@code %k}, {@code $number}/{@code %n},
 * {@code $devpath}/{@code %p}, {@code $root}/{@code %r}, {@code $sys}/{@code %S}, {@code $$},
 * {@code %%}; an unknown {@code $word} or {@code %c} stays as written) and then split into words at
 * whitespace, quotes grouping and being removed. A command without substitutions is split once,
 * here. Substitutions that need more than the event (a device node, parent devices, PROGRAM's
 * result...) are refused by {@link #compile}.
 */
final class KmodCommand {
    /** Why a value cannot be compiled; the message is for the user. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** udev's substitution names in its lookup order, each with its one-letter form. */
    private static final String[] NAMES = {"devnode", "tempnode", "attr", "sysfs", "env", "kernel", "number",
        "driver", "devpath", "id", "major", "minor", "result", "parent", "name", "links", "root", "sys"};
    private static final char[] LETTERS = {'N', 'N', 's', 's', 'E', 'k', 'n', 'd', 'p', 'b', 'M', 'm', 'c', 'P',
        'D', 'L', 'r', 'S'};

    /** A piece of the value: literal text, or a substitution (name from {@link #NAMES}, attribute). */
    private record Piece(String text, String name, String attr) {
    }

    private final List<Piece> pieces;
    private final KmodLoad constant;

    private KmodCommand(List<Piece> pieces, KmodLoad constant) {
        this.pieces = pieces;
        this.constant = constant;
    }

    /** Compiles a RUN{builtin} value; it must be a {@code kmod load} command. */
    static KmodCommand compile(String value) throws Unsupported {
        List<Piece> pieces = parse(value);
        boolean literal = pieces.stream().allMatch(p -> p.name() == null);
        if (literal) {
            StringBuilder all = new StringBuilder();
            pieces.forEach(p -> all.append(p.text()));
            return new KmodCommand(pieces, toLoad(split(all.toString()), value));
        }
        StringBuilder head = new StringBuilder();
        for (Piece p : pieces) {
            if (p.name() != null) {
                break;
            }
            head.append(p.text());
        }
        List<String> words = split(head.toString());
        boolean headComplete = words.size() >= 2 && endsWithSpace(head);
        if (!headComplete || !words.get(0).equals("kmod") || !words.get(1).equals("load")) {
            throw new Unsupported("RUN{builtin} command '" + value + "' must start with a literal 'kmod load'");
        }
        return new KmodCommand(pieces, null);
    }

    /** The load this command asks for, for {@code event}. */
    KmodLoad expand(UeventView event) {
        if (constant != null) {
            return constant;
        }
        StringBuilder b = new StringBuilder();
        for (Piece p : pieces) {
            if (p.name() == null) {
                b.append(p.text());
            } else {
                b.append(substitute(p, event));
            }
        }
        List<String> words = split(b.toString());
        return new KmodLoad(words.subList(Math.min(2, words.size()), words.size()));
    }

    private static String substitute(Piece p, UeventView event) {
        String v;
        switch (p.name()) {
            case "env":
                v = event.property(p.attr());
                break;
            case "kernel":
                v = event.kernel();
                event.nameUsed("kernel", v);
                break;
            case "number":
                v = NameCondition.numberOf(event.kernel());
                event.nameUsed("number", v);
                break;
            case "devpath":
                v = event.devpath();
                event.nameUsed("devpath", v);
                break;
            case "root":
                v = "/dev";
                break;
            default:
                v = "/sys";
        }
        return v == null ? "" : v;
    }

    private static KmodLoad toLoad(List<String> words, String value) throws Unsupported {
        if (words.isEmpty() || !words.get(0).equals("kmod")) {
            throw new Unsupported("RUN{builtin} command '" + value + "' is not 'kmod'");
        }
        if (words.size() < 2 || !words.get(1).equals("load")) {
            throw new Unsupported("kmod builtin expects 'load [module...]', not '" + value + "'");
        }
        return words.size() == 2 ? KmodLoad.MODALIAS : new KmodLoad(words.subList(2, words.size()));
    }

    private static List<Piece> parse(String value) throws Unsupported {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if ((c != '$' && c != '%') || i + 1 >= n) {
                text.append(c);
                i++;
                continue;
            }
            if (value.charAt(i + 1) == c) {
                text.append(c);
                i += 2;
                continue;
            }
            int which = -1;
            int after = i + 1;
            for (int k = 0; k < NAMES.length && which < 0; k++) {
                if (c == '$' ? value.startsWith(NAMES[k], i + 1) : value.charAt(i + 1) == LETTERS[k]) {
                    which = k;
                    after = i + 1 + (c == '$' ? NAMES[k].length() : 1);
                }
            }
            if (which < 0) {
                text.append(c);
                i++;
                continue;
            }
            String attr = null;
            if (after < n && value.charAt(after) == '{') {
                int close = value.indexOf('}', after + 1);
                if (close < 0 || close == after + 1) {
                    throw new Unsupported("invalid substitution in '" + value + "'");
                }
                attr = value.substring(after + 1, close);
                after = close + 1;
            }
            String name = NAMES[which];
            switch (name) {
                case "env":
                    if (attr == null) {
                        throw new Unsupported("$env without {KEY} in '" + value + "'");
                    }
                    break;
                case "kernel": case "number": case "devpath": case "root": case "sys":
                    break;
                default:
                    throw new Unsupported("substitution $" + name + " (%" + LETTERS[which] + ") is not supported in '"
                            + value + "'");
            }
            if (text.length() > 0) {
                pieces.add(new Piece(text.toString(), null, null));
                text.setLength(0);
            }
            pieces.add(new Piece(null, name, attr));
            i = after;
        }
        if (text.length() > 0) {
            pieces.add(new Piece(text.toString(), null, null));
        }
        return pieces;
    }

    private static boolean endsWithSpace(CharSequence s) {
        return s.length() > 0 && RuleTokenizer.isSpace(s.charAt(s.length() - 1));
    }

    /** Words at whitespace; single or double quotes group and are dropped; a backslash keeps the next char. */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\\' && i + 1 < s.length()) {
                w.append(c).append(s.charAt(++i));
                inWord = true;
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (RuleTokenizer.isSpace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
