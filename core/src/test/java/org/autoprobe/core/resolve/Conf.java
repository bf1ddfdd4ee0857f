package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;

/** Builds a ModprobeConfig line by line, in config order, as the parser would (names normalised). */
public final class Conf {
    private final List<ModprobeConfig.Alias> aliases = new ArrayList<>();
    private final List<ModprobeConfig.Options> options = new ArrayList<>();
    private final List<ModprobeConfig.Command> installs = new ArrayList<>();
    private final List<ModprobeConfig.Command> removes = new ArrayList<>();
    private final List<String> blacklist = new ArrayList<>();
    private final List<ModprobeConfig.SoftDep> softdeps = new ArrayList<>();
    private final List<ModprobeConfig.WeakDep> weakdeps = new ArrayList<>();

    public Conf alias(String pattern, String module) {
        aliases.add(new ModprobeConfig.Alias(pattern, module));
        return this;
    }

    public Conf options(String module, String opts) {
        options.add(new ModprobeConfig.Options(module, opts));
        return this;
    }

    public Conf install(String module, String command) {
        installs.add(new ModprobeConfig.Command(module, command));
        return this;
    }

    public Conf remove(String module, String command) {
        removes.add(new ModprobeConfig.Command(module, command));
        return this;
    }

    public Conf blacklist(String module) {
        blacklist.add(module);
        return this;
    }

    /** {@code softdep MODULE pre: PRE... post: POST...}; give the lists as space-separated strings. */
    public Conf softdep(String module, String pre, String post) {
        softdeps.add(new ModprobeConfig.SoftDep(module, split(pre), split(post)));
        return this;
    }

    /** {@code weakdep MODULE DEP...} (kmod 34). */
    public Conf weakdep(String module, String... deps) {
        weakdeps.add(new ModprobeConfig.WeakDep(module, List.of(deps)));
        return this;
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" +"));
    }

    public ModprobeConfig build() {
        return new ModprobeConfig(aliases, options, installs, removes, blacklist, softdeps, weakdeps);
    }
}
