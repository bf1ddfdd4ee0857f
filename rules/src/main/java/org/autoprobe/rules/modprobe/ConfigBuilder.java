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

    void alias(String pattern, String module) {
        aliases.add(new Alias(pattern, module));
    }

    /** kmod turns every tab of an option string into a space, for files and the command line alike. */
    void options(String module, String opts) {
        options.add(new Options(module, opts.replace('\t', ' ')));
    }

    void install(String module, String command) {
        installs.add(new Command(module, command));
    }

    void remove(String module, String command) {
        removes.add(new Command(module, command));
    }

    void blacklist(String module) {
        blacklist.add(module);
    }

    void softdep(SoftDep dep) {
        softdeps.add(dep);
    }

    void weakdep(WeakDep dep) {
        weakdeps.add(dep);
    }

    ModprobeConfig build() {
        return new ModprobeConfig(aliases, options, installs, removes, blacklist, softdeps, weakdeps);
    }
}
