package org.autoprobe.rules.modprobe;

import java.util.ArrayList;
import java.util.List;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.config.ModprobeConfig.Alias;
import org.autoprobe.core.config.ModprobeConfig.Command;
import org.autoprobe.core.config.ModprobeConfig.Options;
import org.autoprobe.core.config.ModprobeConfig.SoftDep;
import org.autoprobe.core.config.ModprobeConfig.WeakDep;

/** Collects directives in the order kmod appends them to its lists. */
final class ConfigBuilder {
    private final List<Alias> aliases = new ArrayList<>();
    private final List<Options> options = new ArrayList<>();
    private final List<Command> installs = new ArrayList<>();
    private final List<Command> removes = new ArrayList<>();
    private final List<String> blacklist = new ArrayList<>();
    private final List<SoftDep> softdeps = new ArrayList<>();
    private final List<WeakDep> weakdeps = new ArrayList<>();
    /** Every directive with its origin, when tracing (null otherwise: the daemon's and tools' loads keep nothing). */
    private final List<ConfigLine> trace;
    private String origin = "";

    ConfigBuilder() {
        this(false);
    }

    ConfigBuilder(boolean tracing) {
        this.trace = tracing ? new ArrayList<>() : null;
    }

    /** Where the directives that follow were written ({@code FILE:LINE}). */
    void at(String where) {
        origin = where;
    }

    private void traced(String directive, String module, String value) {
        if (trace != null) {
            trace.add(new ConfigLine(directive, module, value, origin));
        }
    }

    /** The traced directives in the order they were read; empty when not tracing. */
    List<ConfigLine> trace() {
        return trace == null ? List.of() : List.copyOf(trace);
    }

    void alias(String pattern, String module) {
        aliases.add(new Alias(pattern, module));
        traced("alias", module, pattern);
    }

    /** kmod turns every tab of an option string into a space, for files and the command line alike. */
    void options(String module, String opts) {
        options.add(new Options(module, opts.replace('\t', ' ')));
        traced("options", module, opts.replace('\t', ' '));
    }

    void install(String module, String command) {
        installs.add(new Command(module, command));
        traced("install", module, command);
    }

    void remove(String module, String command) {
        removes.add(new Command(module, command));
        traced("remove", module, command);
    }

    void blacklist(String module) {
        blacklist.add(module);
        traced("blacklist", module, "");
    }

    void softdep(SoftDep dep) {
        softdeps.add(dep);
        traced("softdep", dep.module(), dep.shown());
    }

    void weakdep(WeakDep dep) {
        weakdeps.add(dep);
        traced("weakdep", dep.module(), String.join(" ", dep.deps()));
    }

    ModprobeConfig build() {
        return new ModprobeConfig(aliases, options, installs, removes, blacklist, softdeps, weakdeps);
    }
}
