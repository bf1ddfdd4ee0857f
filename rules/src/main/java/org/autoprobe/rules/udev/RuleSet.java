package org.autoprobe.rules.udev;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parsed udev-style rules, immutable and thread-safe; {@link #evaluate} is pure. Rules run in
 * order: a rule whose match keys all hold applies its {@code RUN{builtin}} keys ({@code +=} adds
 * to the event's list, {@code =} empties it first, {@code :=} also freezes it) and then, if it has
 * a {@code GOTO}, evaluation continues at the rule carrying that {@code LABEL} (later in the same
 * file), which is itself evaluated.
 */
public final class RuleSet {
    private static final RuleSet EMPTY = new RuleSet(new Rule[0]);

    private final Rule[] rules;

    RuleSet(Rule[] rules) {
        this.rules = rules;
    }

    /** No rules. */
    static RuleSet empty() {
        return EMPTY;
    }

    /** The rules of {@code sets} one after another (each file's GOTOs stay within that file). */
    static RuleSet concat(List<RuleSet> sets) {
        List<Rule> all = new ArrayList<>();
        for (RuleSet set : sets) {
            int offset = all.size();
            for (Rule r : set.rules) {
                all.add(r.gotoTarget < 0 ? r : r.withGotoTarget(r.gotoTarget + offset));
            }
        }
        return new RuleSet(all.toArray(new Rule[0]));
    }

    /** How many rule lines there are (LABEL-only lines included). */
    public int size() {
        return rules.length;
    }

    /** Where each rule came from, as {@code file:line}, in order. */
    public List<String> origins() {
        List<String> out = new ArrayList<>(rules.length);
        for (Rule r : rules) {
            out.add(r.toString());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The {@code kmod load} commands the rules give for {@code event}, in order (udev's run
     * list). The hot path uses {@link #evaluate(UeventView, SysfsView, List)}, which allocates nothing.
     */
    public List<KmodLoad> evaluate(UeventView event, SysfsView sysfs) {
        List<KmodLoad> run = new ArrayList<>(0);
        evaluate(event, sysfs, run);
        return run.isEmpty() ? List.of() : Collections.unmodifiableList(run);
    }

    /**
     * As {@link #evaluate(UeventView, SysfsView)}, into {@code run} (emptied first), so that a
     * caller reusing its list allocates nothing for an event whose commands are constant.
     */
    public void evaluate(UeventView event, SysfsView sysfs, List<KmodLoad> run) {
        evaluate(event, sysfs, run, null);
    }

    /**
     * One rule line that matched an event and what it did, for answers that say why (explain).
     *
     * @param origin  {@code FILE:LINE}
     * @param actions what the line did, in order: {@code RUN{builtin}+="kmod load ..."} as expanded for
     *                the event ({@code kmod load} alone stands for the MODALIAS), {@code (ignored: the
     *                list was frozen by :=)}, {@code GOTO "LABEL"}
     */
    public record Match(String origin, List<String> actions) {
        public Match {
            actions = List.copyOf(actions);
        }
    }

    /** As {@link #evaluate(UeventView, SysfsView)}, also telling {@code matches} every rule line that applied. */
    public List<KmodLoad> trace(UeventView event, SysfsView sysfs, List<Match> matches) {
        List<KmodLoad> run = new ArrayList<>(0);
        evaluate(event, sysfs, run, java.util.Objects.requireNonNull(matches, "matches"));
        return run.isEmpty() ? List.of() : Collections.unmodifiableList(run);
    }

    private void evaluate(UeventView event, SysfsView sysfs, List<KmodLoad> run, List<Match> matches) {
        run.clear();
        boolean frozen = false;
        int i = 0;
        while (i < rules.length) {
            Rule rule = rules[i];
            if (!rule.active() || !rule.matches(event, sysfs)) {
                i++;
                continue;
            }
            List<String> actions = matches == null ? null : new ArrayList<>();
            for (Rule.Run r : rule.runs) {
                if (frozen) {
                    if (actions != null) {
                        actions.add("RUN{builtin}" + r.op().text + " (ignored: an earlier := froze the list)");
                    }
                    continue;
                }
                if (r.op() == RuleTokenizer.Op.ASSIGN_FINAL) {
                    frozen = true;
                }
                if (r.op() != RuleTokenizer.Op.ADD) {
                    run.clear();
                }
                KmodLoad load = r.command().expand(event);
                run.add(load);
                if (actions != null) {
                    actions.add("RUN{builtin}" + r.op().text + "\"kmod load"
                            + (load.names().isEmpty() ? "" : " " + String.join(" ", load.names())) + "\"");
                }
            }
            if (actions != null) {
                if (rule.gotoTarget >= 0) {
                    actions.add("GOTO=\"" + rule.gotoLabel + "\"");
                }
                matches.add(new Match(rule.toString(), actions));
            }
            i = rule.gotoTarget >= 0 ? rule.gotoTarget : i + 1;
        }
    }
}
