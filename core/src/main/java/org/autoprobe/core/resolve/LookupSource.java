package org.autoprobe.core.resolve;

/**
 * The sources of libkmod's lookup chain, in the order they are consulted; the first that yields
 * anything wins.
 */
public enum LookupSource {
    /** {@code alias PATTERN MODULE} lines of modprobe.d, matched as globs, in config order. */
    CONFIG_ALIAS(true),
    /** A module name found in modules.dep (never tried for a string containing ':'). */
    MODULE_NAME(false),
    /** {@code symbol:NAME} found in modules.symbols. */
    SYMBOL(true),
    /** The first {@code install} line naming exactly the string, else the first {@code remove} line. */
    COMMAND(false),
    /** A pattern of modules.alias. */
    INDEX_ALIAS(true),
    /** A module name of modules.builtin. */
    BUILTIN(false),
    /** A pattern of modules.builtin.alias. */
    BUILTIN_ALIAS(true);

    private final boolean aliasLike;

    LookupSource(boolean aliasLike) {
        this.aliasLike = aliasLike;
    }

    /**
     * Whether a module found this way carries the alias it came through, which is what makes
     * modprobe's default blacklist (KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY) apply to it.
     */
    boolean aliasLike() {
        return aliasLike;
    }
}
