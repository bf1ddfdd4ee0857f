package org.autoprobe.core.resolve;

import java.util.Locale;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;

/**
 * Why a module is (or is not) loaded for a device: one vocabulary shared by {@code explain},
 * {@code devices}, the daemon's log lines and its counters. {@link #word()} is the form printed
 * everywhere (a table column, a JSON value, a log line, a metric's {@code reason} label).
 *
 * @param kind  what happened
 * @param errno the kernel's answer for {@link Kind#FAILED}, null otherwise
 */
public record Reason(Kind kind, Errno errno) {
    /** The kinds, each with its word. */
    public enum Kind {
        /** No alias line, index pattern or built-in alias matches the MODALIAS. */
        NO_MATCH,
        /** A {@code blacklist} line removed the module (udev applies it to every alias load). */
        BLACKLISTED,
        /** The module is part of the kernel image ({@code modules.builtin}): nothing to load. */
        BUILT_IN,
        /** A lookup yielded a name that neither {@code modules.dep} nor {@code modules.builtin} knows. */
        ALIAS_TO_MISSING,
        /** An {@code install} line replaces the module's insertion with a command. */
        INSTALL_COMMAND,
        /** The module is in the kernel (loaded now, by whoever). */
        LOADED,
        /** Not in the kernel yet: the module would be loaded (a dry run, or a tree that is not running). */
        WOULD_LOAD,
        /** The kernel refused the module (see {@link #errno()}). */
        FAILED;

        /** The printed word: the name in lower case with '-' (e.g. {@code no-match}). */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final Reason NO_MATCH = new Reason(Kind.NO_MATCH, null);
    public static final Reason BLACKLISTED = new Reason(Kind.BLACKLISTED, null);
    public static final Reason BUILT_IN = new Reason(Kind.BUILT_IN, null);
    public static final Reason ALIAS_TO_MISSING = new Reason(Kind.ALIAS_TO_MISSING, null);
    public static final Reason INSTALL_COMMAND = new Reason(Kind.INSTALL_COMMAND, null);
    public static final Reason LOADED = new Reason(Kind.LOADED, null);
    public static final Reason WOULD_LOAD = new Reason(Kind.WOULD_LOAD, null);

    public Reason {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.FAILED) != (errno != null)) {
            throw new IllegalArgumentException(kind + " with errno " + errno);
        }
    }

    /** The kernel refused the module with {@code errno}. */
    public static Reason failed(Errno errno) {
        return new Reason(Kind.FAILED, Objects.requireNonNull(errno, "errno"));
    }

    /** {@code no-match}, {@code blacklisted}, ..., {@code failed:ENODEV}. */
    public String word() {
        return kind == Kind.FAILED ? "failed:" + errno.name() : kind.word();
    }

    /** The reason a {@link #word()} names; null for a word that is not one. */
    static Reason parse(String word) {
        if (word.startsWith("failed:")) {
            String name = word.substring("failed:".length());
            Errno e = Errno.named(name);
            return e == null ? null : failed(e);
        }
        for (Kind k : Kind.values()) {
            if (k != Kind.FAILED && k.word().equals(word)) {
                return new Reason(k, null);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return word();
    }
}
