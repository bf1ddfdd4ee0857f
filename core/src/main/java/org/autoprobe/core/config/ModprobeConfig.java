package org.autoprobe.core.config;

import java.util.List;

/**
 * The modprobe configuration as kmod's libkmod holds it after reading every modprobe.d file and
 * the kernel command line: each list in the order kmod keeps it. Parsing lives in the
 * {@code rules} module; the resolver in {@code core} only reads this.
 */
public record ModprobeConfig(List<Alias> aliases, List<Options> options, List<Command> installs,
                             List<Command> removes, List<String> blacklist, List<SoftDep> softdeps,
                             List<WeakDep> weakdeps) {
    public ModprobeConfig {
        aliases = List.copyOf(aliases);
        options = List.copyOf(options);
        installs = List.copyOf(installs);
        removes = List.copyOf(removes);
        blacklist = List.copyOf(blacklist);
        softdeps = List.copyOf(softdeps);
        weakdeps = List.copyOf(weakdeps);
    }

    public static final ModprobeConfig EMPTY = new ModprobeConfig(List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of());

    /** {@code alias PATTERN MODULE}: the pattern is an fnmatch glob, both normalised as kmod does. */
    public record Alias(String pattern, String module) {
    }

    /** {@code options MODULE OPTIONS...}: options joined by single spaces. */
    public record Options(String module, String options) {
    }

    /** {@code install MODULE COMMAND...} or {@code remove MODULE COMMAND...}. */
    public record Command(String module, String command) {
    }

    /** {@code softdep MODULE pre: A B post: C}: the pattern may be a glob. */
    public record SoftDep(String module, List<String> pre, List<String> post) {
        public SoftDep {
            pre = List.copyOf(pre);
            post = List.copyOf(post);
        }
    }

    /** {@code weakdep MODULE A B}. */
    public record WeakDep(String module, List<String> deps) {
        public WeakDep {
            deps = List.copyOf(deps);
        }
    }
}
