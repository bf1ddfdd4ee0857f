package org.autoprobe.rules.files;

import java.util.function.Consumer;

/**
 * Where configuration loaders report problems. {@link #accept} takes problems of the content
 * (a bad line, a file that is not a regular file, a file too large): reading again gives the same.
 * {@link #unreadable} takes sources that could not be read for a reason outside the files (an I/O
 * error, too many open files, a file listed in its directory and gone before it was read): reading
 * again later may succeed, so a long-running reader should not trust what it got. By default both
 * are one line to {@link #accept}, so any {@code Consumer<String>} serves where the difference does
 * not matter.
 */
@FunctionalInterface
public interface ReadProblems extends Consumer<String> {
    /** A source that could not be read for an environmental reason; one line naming it and why. */
    default void unreadable(String message) {
        accept(message);
    }

    /** {@code warnings} itself when it already tells the two apart, else a view reporting both to it. */
    static ReadProblems of(Consumer<String> warnings) {
        return warnings instanceof ReadProblems r ? r : warnings::accept;
    }
}
