package org.autoprobe.rules.udev;

import java.util.List;

/**
 * One parsed rule line: its match keys (in udev's order), its {@code kmod load} commands, and
 * where its {@code GOTO} leads (an index into the owning {@link RuleSet}, or -1). A line that
 * only carries a {@code LABEL} is kept as a jump target and does nothing itself.
 */
final class Rule {
    /** A {@code RUN{builtin}} key with its operator: {@code +=} adds, {@code =} replaces, {@code :=} replaces for good. */
    record Run(RuleTokenizer.Op op, KmodCommand command) {
    }

    final String file;
    final int line;
    final String label;
    final String gotoLabel;
    final Condition[] conditions;
    final Run[] runs;
    final int gotoTarget;

    Rule(String file, int line, String label, String gotoLabel, List<Condition> conditions, List<Run> runs,
         int gotoTarget) {
        this.file = file;
        this.line = line;
        this.label = label;
        this.gotoLabel = gotoLabel;
        this.conditions = conditions.toArray(new Condition[0]);
        this.runs = runs.toArray(new Run[0]);
        this.gotoTarget = gotoTarget;
    }

    Rule withGotoTarget(int target) {
        return new Rule(file, line, label, target < 0 ? null : gotoLabel, List.of(conditions), List.of(runs), target);
    }

    /** Whether the line does anything when its conditions hold (udev skips lines that only carry a LABEL). */
    boolean active() {
        return runs.length > 0 || gotoTarget >= 0;
    }

    boolean matches(UeventView event, SysfsView sysfs) {
        for (Condition c : conditions) {
            if (!c.test(event, sysfs)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
