package org.autoprobe.rules.udev;

import java.util.List;

/**
 * One {@code RUN{builtin}+="kmod load ..."} the rules decided on: load each of {@code names} (a
 * module name or an alias, as modprobe takes them), or, when {@code names} is empty, the event's
 * {@code MODALIAS}, as udev's kmod builtin does.
 */
public record KmodLoad(List<String> names) {
    /** The "kmod load" without arguments. */
    static final KmodLoad MODALIAS = new KmodLoad(List.of());

    public KmodLoad {
        names = List.copyOf(names);
    }

    /** Whether this load stands for the event's {@code MODALIAS}. */
    public boolean usesModalias() {
        return names.isEmpty();
    }

    /**
     * What to hand to modprobe for {@code event}: {@link #names()}, or the event's {@code MODALIAS}
     * (nothing when the event has none or it is empty).
     */
    public List<String> targets(UeventView event) {
        if (!names.isEmpty()) {
            return names;
        }
        String modalias = event.property("MODALIAS");
        return modalias == null || modalias.isEmpty() ? List.of() : List.of(modalias);
    }
}
