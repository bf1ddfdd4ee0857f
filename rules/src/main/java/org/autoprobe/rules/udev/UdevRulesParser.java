package org.autoprobe.rules.udev;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.autoprobe.rules.udev.RuleTokenizer.Op;
import org.autoprobe.rules.udev.RuleTokenizer.Token;

/**
 * Parses a udev rules file into a {@link RuleSet}, for the part of udev's language a module
 * autoloader needs: match keys {@code ACTION}, {@code DEVPATH}, {@code KERNEL}, {@code SUBSYSTEM},
 * {@code DRIVER}, {@code ENV{KEY}}, {@code ATTR{file}}, {@code TEST{mode}} with {@code ==} and
 * {@code !=}; {@code GOTO} and {@code LABEL}; {@code RUN{builtin}} with {@code +=}, {@code =} and
 * {@code :=} for the {@code kmod load} command.
 *
 * <p>Every problem is one warning {@code file:line: what}, and that rule is left out:
 * <ul>
 *   <li>what udev itself rejects (unknown key, an operator or attribute a key does not take, a bad
 *       value, no operator) drops the whole line, as udev does;</li>
 *   <li>keys udev knows but autoprobe does not run ({@code NAME}, {@code SYMLINK}, {@code OWNER},
 *       {@code IMPORT}, {@code PROGRAM}, {@code RUN} of a program or of another builtin,
 *       {@code ENV} or {@code ATTR} assignments, parent keys like {@code ATTRS}...) drop the rule
 *       too, so that nothing runs with a changed meaning; a {@code LABEL} on such a line is kept as a
 *       jump target, since udev would keep it.</li>
 * </ul>
 * A GOTO without a later LABEL of that name in the same file is reported and ignored, as in udev.
 */
final class UdevRulesParser {
    /** Keys udev knows that autoprobe does not implement. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("SYMLINK", "NAME", "CONST", "TAG", "SYSCTL",
            "KERNELS", "SUBSYSTEMS", "DRIVERS", "ATTRS", "TAGS", "PROGRAM", "IMPORT", "RESULT", "OPTIONS", "OWNER",
            "GROUP", "MODE", "SECLABEL");
    /** udev's builtin commands other than kmod. */
    private static final Set<String> OTHER_BUILTINS = Set.of("blkid", "btrfs", "factory_reset", "hwdb", "input_id",
            "keyboard", "net_driver", "net_id", "net_setup_link", "path_id", "uaccess", "usb_id", "dissect_image");

    private UdevRulesParser() {
    }

    /** Parses {@code lines} (a file's physical lines, without line ends) of the file {@code fileName}. */
    static RuleSet parse(String fileName, List<String> lines, Consumer<String> warnings) {
        List<Parsed> parsed = new ArrayList<>();
        for (LogicalLines.Line line : LogicalLines.join(fileName, lines, warnings)) {
            Parsed p = parseLine(fileName, line, warnings);
            if (p != null) {
                parsed.add(p);
            }
        }
        return link(fileName, parsed, warnings);
    }

    /** A rule before its GOTO is linked. */
    private static final class Parsed {
        final int line;
        final List<Condition> conditions = new ArrayList<>();
        final List<Rule.Run> runs = new ArrayList<>();
        String label;
        String gotoLabel;
        int gotoTarget = -1;

        Parsed(int line) {
            this.line = line;
        }
    }

    /** Why a line is left out. */
    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    private static Parsed parseLine(String fileName, LogicalLines.Line line, Consumer<String> warnings) {
        String where = fileName + ":" + line.number() + ": ";
        List<Token> tokens;
        try {
            tokens = RuleTokenizer.tokenize(line.text());
        } catch (RuleTokenizer.SyntaxException e) {
            warnings.accept(where + "invalid key/value pair (" + e.getMessage() + "), rule ignored");
            return null;
        }
        Parsed p = new Parsed(line.number());
        String unsupported = null;
        boolean other = false;
        for (Token t : tokens) {
            try {
                if (!t.op().isMatch() && t.caseInsensitive()) {
                    throw new Rejected("the 'i' prefix is only for '==' and '!=' (" + t + ")");
                }
                String why = apply(t, p, where, warnings);
                if (why != null && unsupported == null) {
                    unsupported = why;
                }
                if (!t.key().equals("GOTO") && !t.key().equals("LABEL") && !t.op().isMatch()) {
                    other = true;
                }
            } catch (Rejected e) {
                warnings.accept(where + e.getMessage() + ", rule ignored");
                return null;
            }
        }
        if (unsupported != null) {
            warnings.accept(where + unsupported + ", rule ignored"
                    + (p.label != null ? " (its LABEL=\"" + p.label + "\" is kept)" : ""));
            Parsed labelOnly = new Parsed(line.number());
            labelOnly.label = p.label;
            return p.label == null ? null : labelOnly;
        }
        if (p.label == null && p.gotoLabel == null && !other) {
            warnings.accept(where + "the rule has no effect, ignored");
            return null;
        }
        p.conditions.sort(Comparator.comparingInt(Condition::rank));
        return p;
    }

    /**
     * Adds what {@code t} means to {@code p}; returns why autoprobe does not support it, or null.
     * Throws for what udev itself rejects.
     */
    private static String apply(Token t, Parsed p, String where, Consumer<String> warnings) throws Rejected {
        String key = t.key();
        switch (key) {
            case "ACTION":
            case "DEVPATH":
            case "KERNEL":
            case "SUBSYSTEM":
            case "DRIVER": {
                noAttribute(t);
                matchOnly(t);
                if (key.equals("SUBSYSTEM") && (t.value().equals("bus") || t.value().equals("class"))) {
                    warnings.accept(where + "\"" + t.value() + "\" must be specified as \"subsystem\"");
                }
                p.conditions.add(new Condition.FieldMatch(Condition.Field.valueOf(key), matcher(t, key.equals("SUBSYSTEM"))));
                return null;
            }
            case "ENV":
                needAttribute(t);
                if (t.op() == Op.REMOVE) {
                    throw invalidOperator(t);
                }
                if (!t.op().isMatch()) {
                    return "setting ENV{" + t.attr() + "} is not supported";
                }
                p.conditions.add(new Condition.EnvMatch(t.attr(), matcher(t, false)));
                return null;
            case "ATTR":
                return attr(t, p);
            case "TEST":
                return test(t, p);
            case "RUN":
                return run(t, p);
            case "GOTO":
                noAttribute(t);
                if (t.op() != Op.ASSIGN) {
                    throw invalidOperator(t);
                }
                if (p.gotoLabel != null) {
                    warnings.accept(where + "contains multiple GOTO keys, ignoring GOTO=\"" + t.value() + "\"");
                } else {
                    p.gotoLabel = t.value();
                }
                return null;
            case "LABEL":
                noAttribute(t);
                if (t.op() != Op.ASSIGN) {
                    throw invalidOperator(t);
                }
                if (p.label != null) {
                    warnings.accept(where + "contains multiple LABEL keys, ignoring LABEL=\"" + p.label + "\"");
                }
                p.label = t.value();
                return null;
            default:
                if (KNOWN_UNSUPPORTED.contains(key)) {
                    return key + " is not supported by autoprobe";
                }
                throw new Rejected("invalid key '" + key + "'");
        }
    }

    private static String attr(Token t, Parsed p) throws Rejected {
        needAttribute(t);
        if (t.op() == Op.REMOVE) {
            throw invalidOperator(t);
        }
        if (!t.op().isMatch()) {
            return "writing ATTR{" + t.attr() + "} is not supported";
        }
        String name = t.attr();
        boolean trim = !firstAlternative(t.value()).isEmpty()
                && !Character.isWhitespace(lastChar(firstAlternative(t.value())));
        StringMatcher m = matcher(t, false);
        if (name.startsWith("[")) {
            String[] ref = subsystemReference(name);
            if (ref == null || ref[2].isEmpty()) {
                return "ATTR{" + name + "} names no attribute of a [subsystem/device] and can never match";
            }
            p.conditions.add(new Condition.AttrMatch(ref[0], ref[1], ref[2], m, trim));
            return null;
        }
        if (name.indexOf('$') >= 0 || name.indexOf('%') >= 0) {
            return "substitutions in ATTR{" + name + "} are not supported";
        }
        p.conditions.add(new Condition.AttrMatch(null, null, name, m, trim));
        return null;
    }

    private static String test(Token t, Parsed p) throws Rejected {
        int mode = -1;
        if (t.attr() != null && !t.attr().isEmpty()) {
            mode = parseMode(t.attr());
        }
        matchOnly(t);
        if (t.caseInsensitive()) {
            throw new Rejected("invalid prefix 'i' for TEST");
        }
        String path = t.value();
        if (path.indexOf('$') >= 0 || path.indexOf('%') >= 0) {
            return "substitutions in TEST \"" + path + "\" are not supported";
        }
        if (path.contains("/*/")) {
            return "the '/*/' wildcard in TEST \"" + path + "\" is not supported";
        }
        String[] ref = path.startsWith("[") ? subsystemReference(path) : null;
        p.conditions.add(new Condition.TestMatch(path, ref == null ? null : ref[0], ref == null ? null : ref[1],
                ref == null ? null : ref[2], mode, t.op() == Op.NOMATCH));
        return null;
    }

    private static String run(Token t, Parsed p) throws Rejected {
        if (t.op().isMatch() || t.op() == Op.REMOVE) {
            throw invalidOperator(t);
        }
        if (t.attr() == null || t.attr().equals("program")) {
            return "RUN of a program is not supported (only RUN{builtin}+=\"kmod load ...\")";
        }
        if (!t.attr().equals("builtin")) {
            throw new Rejected("invalid attribute for RUN");
        }
        List<String> words = KmodCommand.split(t.value());
        String command = words.isEmpty() ? "" : words.get(0);
        if (OTHER_BUILTINS.contains(command)) {
            return "RUN{builtin} '" + command + "' is not supported (only kmod)";
        }
        if (!command.equals("kmod")) {
            throw new Rejected("unknown builtin command '" + t.value() + "'");
        }
        try {
            p.runs.add(new Rule.Run(t.op(), KmodCommand.compile(t.value())));
        } catch (KmodCommand.Unsupported e) {
            return e.getMessage();
        }
        return null;
    }

    /** Splits {@code [subsystem/sysname]rest} into its three parts (rest without a leading '/'), or null. */
    private static String[] subsystemReference(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        int close = s.indexOf(']', slash + 1);
        if (close < 0) {
            return null;
        }
        String rest = s.substring(close + 1);
        if (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return new String[] {s.substring(1, slash), s.substring(slash + 1, close), rest};
    }

    private static int parseMode(String s) throws Rejected {
        if (s.isEmpty() || s.length() > 5) {
            throw new Rejected("failed to parse mode '" + s + "'");
        }
        int mode = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                throw new Rejected("failed to parse mode '" + s + "'");
            }
            mode = mode * 8 + (c - '0');
        }
        if (mode > 07777) {
            throw new Rejected("failed to parse mode '" + s + "'");
        }
        return mode;
    }

    private static StringMatcher matcher(Token t, boolean subsystemKey) {
        return StringMatcher.compile(t.value(), t.op() == Op.NOMATCH, t.caseInsensitive(), subsystemKey, true);
    }

    private static String firstAlternative(String value) {
        int bar = value.indexOf('|');
        return bar < 0 ? value : value.substring(0, bar);
    }

    private static char lastChar(String s) {
        return s.charAt(s.length() - 1);
    }

    private static void noAttribute(Token t) throws Rejected {
        if (t.attr() != null) {
            throw new Rejected("invalid attribute for " + t.key());
        }
    }

    private static void needAttribute(Token t) throws Rejected {
        if (t.attr() == null || t.attr().isEmpty()) {
            throw new Rejected("invalid attribute for " + t.key());
        }
    }

    private static void matchOnly(Token t) throws Rejected {
        if (!t.op().isMatch()) {
            throw invalidOperator(t);
        }
    }

    private static Rejected invalidOperator(Token t) {
        return new Rejected("invalid operator '" + t.op().text + "' for " + t.key());
    }

    /** Resolves each GOTO to the first later line of the file with that LABEL. */
    private static RuleSet link(String fileName, List<Parsed> parsed, Consumer<String> warnings) {
        List<Parsed> kept = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Parsed p = parsed.get(i);
            if (p.gotoLabel != null) {
                for (int j = i + 1; j < parsed.size() && p.gotoTarget < 0; j++) {
                    if (p.gotoLabel.equals(parsed.get(j).label)) {
                        p.gotoTarget = j;
                    }
                }
                if (p.gotoTarget < 0) {
                    warnings.accept(fileName + ":" + p.line + ": GOTO=\"" + p.gotoLabel
                            + "\" has no matching label, ignored");
                    p.gotoLabel = null;
                    if (p.runs.isEmpty() && p.label == null) {
                        continue;
                    }
                }
            }
            kept.add(p);
        }
        Rule[] rules = new Rule[kept.size()];
        for (int i = 0; i < rules.length; i++) {
            Parsed p = kept.get(i);
            int target = p.gotoTarget < 0 ? -1 : kept.indexOf(parsed.get(p.gotoTarget));
            rules[i] = new Rule(fileName, p.line, p.label, p.gotoLabel, p.conditions, p.runs, target);
        }
        return new RuleSet(rules);
    }
}
