package org.autoprobe.core.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.resolve.Module;
import org.autoprobe.core.resolve.ModuleMatch;
import org.autoprobe.core.resolve.Resolver;

/**
 * kmod 30's {@code modprobe -r NAME...}: for every module each name yields, its post softdeps
 * (last first), then the module itself (refused while its use count is not zero), or its remove
 * command instead, then each of its dependencies (the modules.dep line last-first, each looked at
 * once) whose use count is zero at that moment, then its pre softdeps (last first). Softdep and dependency failures do not stop it.
 * With {@code --remove-holders} the modules holding it go first; with {@code -w} a module in use is
 * retried until it is free or the time is up.
 */
public final class ModprobeRemove {
    /**
     * The options that change a removal.
     *
     * @param all            {@code -a} (a name not found is a warning, not fatal)
     * @param ignoreCommands {@code -i}: no remove commands, no softdeps
     * @param ignoreLoaded   {@code -D}: do not ask the kernel what is loaded
     * @param dryRun         {@code -n} / {@code -D}
     * @param firstTime      {@code --first-time}: a module not loaded is an error
     * @param force          {@code -f}: {@code delete_module} with {@code O_TRUNC}
     * @param removeHolders  {@code --remove-holders}: first remove the modules holding each named
     *                       one (one level, last listed first; one failing stops that name)
     * @param waitMillis     {@code -w MSEC}: a module still in use is not refused at once; its
     *                       removal is retried, with kmod's exponential backoff, for up to this long
     */
    public record Options(boolean all, boolean ignoreCommands, boolean ignoreLoaded, boolean dryRun,
                          boolean firstTime, boolean force, boolean removeHolders, long waitMillis) {
        public Options {
            if (waitMillis < 0) {
                throw new IllegalArgumentException("negative wait " + waitMillis);
            }
        }

        public Options(boolean all, boolean ignoreCommands, boolean ignoreLoaded, boolean dryRun, boolean firstTime,
                       boolean force) {
            this(all, ignoreCommands, ignoreLoaded, dryRun, firstTime, force, false, 0);
        }
    }

    /** The monotonic clock and the sleep the {@code -w} retries use (tests give their own). */
    interface Clock {
        Clock MONOTONIC = new Clock() {
            @Override
            public long nowMillis() {
                return System.nanoTime() / 1_000_000;
            }

            @Override
            public void sleepUntilMillis(long millis) throws InterruptedException {
                long ms = millis - nowMillis();
                if (ms > 0) {
                    Thread.sleep(ms);
                }
            }
        };

        long nowMillis();

        void sleepUntilMillis(long millis) throws InterruptedException;
    }

    private final Resolver resolver;
    private final Kernel kernel;
    private final CommandRunner commands;
    private final ToolLog log;
    private final Options options;
    private final boolean show;
    private final int logPriority;
    private Clock clock = Clock.MONOTONIC;

    public ModprobeRemove(Resolver resolver, Kernel kernel, CommandRunner commands, ToolLog log, Options options,
                          boolean showDepends) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.log = Objects.requireNonNull(log, "log");
        this.options = Objects.requireNonNull(options, "options");
        this.show = showDepends || log.threshold() > ToolLog.LOG_WARNING;
        this.logPriority = options.all() ? ToolLog.LOG_WARNING : ToolLog.LOG_CRIT;
    }

    /** Uses {@code c} for the {@code -w} retries instead of the system's monotonic clock. */
    ModprobeRemove clock(Clock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    public ToolResult run(List<String> args) {
        if (args.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "missing parameters. See -h.");
            return log.result(1);
        }
        int err = 0;
        for (String name : args) {
            int r = rmmod(name);
            if (log.fatal()) {
                break;
            }
            if (r < 0) {
                err = r;
            }
        }
        return log.result(err < 0 ? 1 : 0);
    }

    private int rmmod(String alias) {
        List<ModuleMatch> matches = resolver.lookup(alias);
        if (matches.isEmpty()) {
            log.log(logPriority, "Module " + alias + " not found.");
            return -Errno.ENOENT.value();
        }
        int err = 0;
        for (ModuleMatch m : matches) {
            err = module(resolver.module(m), false, options.removeHolders());
            if (err < 0 || log.fatal()) {
                break;
            }
        }
        return err;
    }

    private int module(Module mod, boolean ignoreBuiltin, boolean removeHolders) {
        String name = mod.name();
        List<Module> pre = List.of();
        List<Module> post = List.of();
        String cmd = null;
        if (!options.ignoreCommands()) {
            pre = softdeps(mod.softdepPre());
            post = softdeps(mod.softdepPost());
            cmd = mod.removeCommand();
        }
        if (cmd == null && !options.ignoreLoaded()) {
            Optional<InitState> state = mod.builtin() ? Optional.of(InitState.BUILTIN) : kernel.initState(name);
            if (state.isEmpty()) {
                if (options.firstTime()) {
                    log.log(logPriority, "Module " + name + " is not in kernel.");
                    return -Errno.ENOENT.value();
                }
                return 0;
            }
            if (state.get() == InitState.BUILTIN) {
                if (ignoreBuiltin) {
                    return 0;
                }
                log.log(logPriority, "Module " + name + " is builtin.");
                return -Errno.ENOENT.value();
            }
        }
        list(post);
        if (removeHolders) {
            // rmmod_do_modlist(holders, stop on errors): the sysfs listing, last first, holders' own holders left alone
            List<String> holders = kernel.holders(name);
            for (int i = holders.size() - 1; i >= 0 && !log.fatal(); i--) {
                int r = module(resolver.module(holders.get(i)), true, false);
                if (r < 0) {
                    return r;
                }
            }
        }
        if (cmd == null && !options.ignoreLoaded() && options.waitMillis() == 0) {
            OptionalInt usage = kernel.refcount(name);
            if (usage.isPresent() && usage.getAsInt() > 0) {
                log.log(logPriority, "Module " + name + " is in use.");
                return -Errno.EBUSY.value();
            }
        }
        int err = cmd == null ? remove(name) : command(cmd, name);
        if (err < 0) {
            return err;
        }
        if (cmd == null) {
            // libkmod hands the modules.dep line back last-first, and each dependency is looked at once:
            // one that only becomes unused after a later removal stays loaded (kmod 30, seen in the guest)
            List<String> deps = mod.dependencies();
            for (int i = deps.size() - 1; i >= 0; i--) {
                String depName = ModuleNames.fromPath(Path.of(deps.get(i)));
                OptionalInt usage = kernel.refcount(depName);
                if (usage.isPresent() && usage.getAsInt() == 0) {
                    remove(depName);
                }
            }
        }
        list(pre);
        return 0;
    }

    /** rmmod_do_modlist: last first, builtin ones skipped, failures ignored. */
    private void list(List<Module> mods) {
        for (int i = mods.size() - 1; i >= 0 && !log.fatal(); i--) {
            module(mods.get(i), true, false);
        }
    }

    private List<Module> softdeps(List<String> names) {
        List<Module> out = new ArrayList<>();
        for (String n : names) {
            for (ModuleMatch m : resolver.lookup(n)) {
                out.add(resolver.module(m));
            }
        }
        return out;
    }

    private int remove(String name) {
        if (show) {
            log.out("rmmod " + name);
        }
        if (options.dryRun()) {
            return 0;
        }
        long interval = 0;
        long tend = 0;
        while (true) {
            try {
                kernel.remove(name, options.force());
                return 0;
            } catch (SyscallException e) {
                if (e.errno().equals(Errno.EAGAIN) && options.waitMillis() > 0) {
                    long t = clock.nowMillis();
                    if (interval == 0) {
                        tend = t + options.waitMillis();
                    }
                    // kmod's exponential backoff with tail: 2, 4, 8... ms, the last step cut to end at the deadline
                    interval = interval == 0 ? 2 : interval << 1;
                    while (interval > 0 && t + interval > tend) {
                        interval >>= 1;
                    }
                    if (interval == 0 && tend > t) {
                        interval = tend - t;
                    }
                    if (interval > 0) {
                        try {
                            clock.sleepUntilMillis(t + interval);
                            continue;
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
                // libkmod's own message; with -w, modprobe's once the time is up (kmod 30 loses that error
                // and exits 0 with the module loaded; we do not: docs/COMPATIBILITY.md)
                log.log(ToolLog.LOG_ERR, "could not remove '" + name + "': " + e.errno().message());
                return -e.errno().value();
            }
        }
    }

    private int command(String command, String name) {
        String cmd = command.replace("$CMDLINE_OPTS", "");
        if (show) {
            log.out("remove " + cmd);
        }
        if (options.dryRun()) {
            return 0;
        }
        int status;
        try {
            status = commands.run(cmd, name);
        } catch (IOException e) {
            status = -1;
        }
        if (status != 0) {
            log.log(logPriority, "Error running remove command for " + name);
            return status > 0 ? -status : -1;
        }
        return 0;
    }
}
