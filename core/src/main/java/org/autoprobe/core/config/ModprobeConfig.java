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

    /**
     * {@code softdep MODULE pre: A B post: C}: the pattern may be a glob.
     *
     * @param shown what kmod 30 prints for this line after the module name in {@code modprobe -c}.
     *              libkmod keeps all names of a line in one buffer in the order written and prints
     *              the span from the first to the last name of each group, with no space before
     *              {@code post:}; so {@code post: a pre: b post: c} shows as
     *              {@code pre: bpost: a b c}. Only the parser knows the written order, hence this field.
     */
    public record SoftDep(String module, List<String> pre, List<String> post, String shown) {
        public SoftDep {
            pre = List.copyOf(pre);
            post = List.copyOf(post);
            java.util.Objects.requireNonNull(shown, "shown");
        }

        /** A softdep whose names were written all {@code pre:} first, then all {@code post:}. */
        public SoftDep(String module, List<String> pre, List<String> post) {
            this(module, pre, post, showInOrder(pre, post));
        }

        private static String showInOrder(List<String> pre, List<String> post) {
            StringBuilder sb = new StringBuilder();
            if (!pre.isEmpty()) {
                sb.append("pre: ").append(String.join(" ", pre));
            }
            if (!post.isEmpty()) {
                sb.append("post: ").append(String.join(" ", post));
            }
            return sb.toString();
        }
    }

    /** {@code weakdep MODULE A B}. */
    public record WeakDep(String module, List<String> deps) {
        public WeakDep {
            deps = List.copyOf(deps);
        }
    }
}
