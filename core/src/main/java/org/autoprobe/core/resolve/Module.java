package org.autoprobe.core.resolve;

import java.util.List;
import java.util.Objects;

/**
 * What libkmod knows about one module object, from the indexes and the configuration.
 *
 * @param name           the module name
 * @param alias          the alias it came through (see {@link ModuleMatch#alias()}), or null
 * @param path           its file, absolute (modules.dep paths are relative to the modules directory
 *                       unless absolute); null when it is not in modules.dep
 * @param dependencies   the files of its dependencies, in modules.dep order (load order is the reverse)
 * @param builtin        whether modules.builtin lists it, or it came from modules.builtin.alias
 * @param options        the options lines for its name or its alias, config order (the kernel
 *                       command line's come last in the config), joined by spaces; "" when none
 * @param installCommand the first {@code install} line whose glob matches the name, or null
 * @param removeCommand  the first {@code remove} line whose glob matches the name, or null
 * @param softdepPre     the {@code pre:} names of the first softdep line whose glob matches the name
 * @param softdepPost    the {@code post:} names of that line
 */
public record Module(String name, String alias, String path, List<String> dependencies, boolean builtin,
                     String options, String installCommand, String removeCommand, List<String> softdepPre,
                     List<String> softdepPost) {
    public Module {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        dependencies = List.copyOf(dependencies);
        softdepPre = List.copyOf(softdepPre);
        softdepPost = List.copyOf(softdepPost);
    }
}
