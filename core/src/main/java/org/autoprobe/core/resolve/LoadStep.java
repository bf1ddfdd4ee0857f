package org.autoprobe.core.resolve;

import java.util.Objects;
import java.util.Optional;

/**
 * One step of a load plan, in the order kmod takes them.
 *
 * @param kind     what to do
 * @param module   the module's name
 * @param path     the file to insert (absolute), for {@link Kind#INSMOD}; else null
 * @param command  the install command as written in the config, for {@link Kind#INSTALL}; else null
 * @param options  the options for this module (config, kernel command line, and for the asked-for
 *                 module the caller's extra options), "" when none
 * @param required whether the module is the asked-for one or one of its dependencies; a failure of
 *                 a step that is not required (a softdep's chain) is ignored, as kmod does
 */
public record LoadStep(Kind kind, String module, String path, String command, String options, boolean required) {
    /** What a step does. */
    public enum Kind {
        /** Insert the file at {@code path} with {@code options}. */
        INSMOD,
        /** Run the install command (see {@link #commandLine()}) through the shell. */
        INSTALL,
        /** The module is built into the kernel: nothing to do. */
        BUILTIN,
        /** The module has no file and is not builtin (an alias to a missing module): inserting it fails. */
        MISSING,
        /** Already in the kernel: kmod skips it. */
        ALREADY_LOADED
    }

    public LoadStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(options, "options");
    }

    /**
     * The install command with every {@code $CMDLINE_OPTS} replaced by the options, as kmod runs it
     * (with {@code MODPROBE_MODULE} set to the module name); null unless {@link Kind#INSTALL}.
     */
    public String commandLine() {
        return command == null ? null : command.replace("$CMDLINE_OPTS", options);
    }

    /** The line {@code modprobe --show-depends} (or {@code -n -v}) prints for this step, if any. */
    public Optional<String> showDependsLine() {
        return switch (kind) {
            case INSMOD -> Optional.of("insmod " + path + " " + options);
            case INSTALL -> Optional.of("install " + command + " " + options);
            case BUILTIN -> Optional.of("builtin " + module);
            case MISSING, ALREADY_LOADED -> Optional.empty();
        };
    }
}
