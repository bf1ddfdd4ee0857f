package org.autoprobe.core.resolve;

import java.util.List;
import java.util.Objects;

/**
 * What kmod's probe decides for one module a lookup yielded.
 *
 * @param target  the module asked for
 * @param outcome whether anything is to be done
 * @param steps   the steps in order; empty unless {@link Outcome#LOAD}
 */
public record LoadPlan(ModuleMatch target, Outcome outcome, List<LoadStep> steps) {
    /** The probe's verdict before any step runs. */
    public enum Outcome {
        /** Run the steps. */
        LOAD,
        /** The module is already in the kernel (loaded or builtin): nothing to do, success. */
        ALREADY_LOADED,
        /** The module is already in the kernel and {@code --first-time} was asked: an error (EEXIST). */
        ALREADY_LOADED_ERROR,
        /** The blacklist stops it: nothing to do, success, silently. */
        BLACKLISTED
    }

    public LoadPlan {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        steps = List.copyOf(steps);
    }
}
