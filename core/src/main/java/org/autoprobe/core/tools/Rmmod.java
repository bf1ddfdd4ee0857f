package org.autoprobe.core.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.module.ModuleNames;

/**
 * kmod 30's {@code rmmod [-f] NAME...}: unless forced, a module that is builtin, not loaded, held by
 * other modules (named) or in use is refused before the kernel is asked; every name is tried and the
 * exit code is 1 when any failed.
 */
public final class Rmmod {
    private final Kernel kernel;
    private final Predicate<String> builtin;

    /** @param builtin whether modules.builtin lists a name (kmod asks the index first) */
    public Rmmod(Kernel kernel, Predicate<String> builtin) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.builtin = Objects.requireNonNull(builtin, "builtin");
    }

    /** @param verbose how many {@code -v} */
    public ToolResult run(List<String> args, boolean force, int verbose) {
        ToolLog log = new ToolLog("rmmod", ToolLog.LOG_ERR + verbose);
        if (args.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "missing module name.");
            return log.result(1);
        }
        int failures = 0;
        for (String arg : args) {
            String name = nameOf(arg);
            if (!force && !removable(name, log)) {
                failures++;
                continue;
            }
            try {
                kernel.remove(name, force);
            } catch (SyscallException e) {
                log.log(ToolLog.LOG_ERR, "could not remove '" + name + "': " + e.errno().message());
                log.log(ToolLog.LOG_ERR, "could not remove module " + arg + ": " + e.errno().message());
                failures++;
            }
        }
        return log.result(failures == 0 ? 0 : 1);
    }

    /** A path that exists names its file's module; anything else is a name, up to its first '.'. */
    static String nameOf(String arg) {
        if (Files.exists(Path.of(arg))) {
            return ModuleNames.fromPath(Path.of(arg));
        }
        int dot = arg.indexOf('.');
        return ModuleNames.normalize(dot < 0 ? arg : arg.substring(0, dot));
    }

    private boolean removable(String name, ToolLog log) {
        Optional<InitState> state = builtin.test(name) ? Optional.of(InitState.BUILTIN) : kernel.initState(name);
        if (state.isPresent() && state.get() == InitState.BUILTIN) {
            log.log(ToolLog.LOG_ERR, "Module " + name + " is builtin.");
            return false;
        }
        if (state.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "Module " + name + " is not currently loaded");
            return false;
        }
        List<String> holders = kernel.holders(name);
        if (!holders.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "Module " + name + " is in use by: " + String.join(" ", holders));
            return false;
        }
        OptionalInt refs = kernel.refcount(name);
        if (refs.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "Module unloading is not supported");
            return false;
        }
        if (refs.getAsInt() > 0) {
            log.log(ToolLog.LOG_ERR, "Module " + name + " is in use");
            return false;
        }
        return true;
    }

}
