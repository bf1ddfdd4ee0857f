package org.autoprobe.core.resolve;

import java.util.Objects;

/**
 * How a probe is planned: the subset of libkmod's {@code KMOD_PROBE_*} flags that change what is
 * decided (force flags change only how a file is inserted, not what).
 *
 * @param ignoreCommands KMOD_PROBE_IGNORE_COMMAND ({@code modprobe -i}): the asked-for module's
 *                       install command and softdeps are ignored (its dependencies' are not)
 * @param ignoreLoaded   KMOD_PROBE_IGNORE_LOADED ({@code --show-depends}): do not check what the
 *                       kernel already has
 * @param failOnLoaded   KMOD_PROBE_FAIL_ON_LOADED ({@code --first-time})
 * @param blacklist      which blacklist check applies
 */
public record ProbeFlags(boolean ignoreCommands, boolean ignoreLoaded, boolean failOnLoaded, Blacklist blacklist) {
    /** The blacklist checks of libkmod's probe. */
    public enum Blacklist {
        /** No check. */
        NONE,
        /** KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY, modprobe's default: the asked-for module, when it came through an alias. */
        ALIAS_ONLY,
        /** KMOD_PROBE_APPLY_BLACKLIST ({@code modprobe -b}, udev): the asked-for module, however it was found. */
        ALWAYS,
        /** KMOD_PROBE_APPLY_BLACKLIST_ALL: the asked-for module, and blacklisted modules are dropped from the plan. */
        ALL
    }

    public ProbeFlags {
        Objects.requireNonNull(blacklist, "blacklist");
    }

    /** What plain {@code modprobe NAME} uses. */
    static ProbeFlags modprobe() {
        return new ProbeFlags(false, false, false, Blacklist.ALIAS_ONLY);
    }

    /** What {@code modprobe --show-depends NAME} uses. */
    static ProbeFlags showDepends() {
        return new ProbeFlags(false, true, false, Blacklist.ALIAS_ONLY);
    }

    ProbeFlags withIgnoreCommands(boolean value) {
        return new ProbeFlags(value, ignoreLoaded, failOnLoaded, blacklist);
    }

    ProbeFlags withIgnoreLoaded(boolean value) {
        return new ProbeFlags(ignoreCommands, value, failOnLoaded, blacklist);
    }

    ProbeFlags withFailOnLoaded(boolean value) {
        return new ProbeFlags(ignoreCommands, ignoreLoaded, value, blacklist);
    }

    ProbeFlags withBlacklist(Blacklist value) {
        return new ProbeFlags(ignoreCommands, ignoreLoaded, failOnLoaded, value);
    }
}
