package org.autoprobe.core.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;

/**
 * Runs a {@link LoadPlan} as libkmod's probe does: steps in order, install commands through the
 * {@link CommandRunner} with {@code $CMDLINE_OPTS} filled in, files through the {@link Kernel};
 * "already loaded" counts as success (unless {@code --first-time} and it is the asked-for module), a
 * step that is not required (a softdep's chain) may fail without stopping the rest, and the first
 * failure of a required step ends the plan. The plan is taken as made: no index is read here.
 */
public final class PlanExecutor {
    /** What the run tells its caller: kmod's {@code print_action} and libkmod's log messages. */
    public interface Listener {
        /** A step is about to run ({@code modprobe -v} prints {@link LoadStep#showDependsLine()}). */
        default void action(LoadStep step) {
        }

        /** A libkmod-level message, with its syslog priority ({@link ToolLog#LOG_ERR}, ...). */
        default void message(int priority, String text) {
        }

        /** A kernel refusal, with the call, module and errno. */
        default void refused(LoadStep step, SyscallException e) {
        }
    }

    /**
     * How a plan ended.
     *
     * @param errno the failure, or null on success
     * @param cause the kernel's refusal behind it, when there was one
     */
    public record Outcome(Errno errno, SyscallException cause) {
        static final Outcome OK = new Outcome(null, null);

        public boolean ok() {
            return errno == null;
        }
    }

    private final Kernel kernel;
    private final CommandRunner commands;
    private final InsertFlags flags;
    private final Listener listener;

    public PlanExecutor(Kernel kernel, CommandRunner commands, InsertFlags flags, Listener listener) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.flags = Objects.requireNonNull(flags, "flags");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Runs the plan; {@code failOnLoaded} is {@code --first-time}. */
    public Outcome run(LoadPlan plan, boolean failOnLoaded) {
        switch (plan.outcome()) {
            case ALREADY_LOADED, BLACKLISTED:
                return Outcome.OK;
            case ALREADY_LOADED_ERROR:
                return new Outcome(Errno.EEXIST, null);
            case LOAD:
            default:
                break;
        }
        String target = plan.target().name();
        Outcome result = Outcome.OK;
        for (LoadStep step : plan.steps()) {
            result = step(step);
            boolean isTarget = step.module().equals(target);
            boolean exists = !result.ok() && result.errno().equals(Errno.EEXIST);
            if (exists && isTarget && failOnLoaded) {
                break;
            }
            if (exists || !step.required()) {
                result = Outcome.OK;
            } else if (!result.ok()) {
                break;
            }
        }
        return result;
    }

    private Outcome step(LoadStep step) {
        if (step.kind() == LoadStep.Kind.INSMOD || step.kind() == LoadStep.Kind.INSTALL) {
            // as libkmod, ask again right before: an earlier plan of the same run may have loaded it
            if (kernel.isLive(step.module())) {
                return new Outcome(Errno.EEXIST, null);
            }
        }
        switch (step.kind()) {
            case ALREADY_LOADED:
                return new Outcome(Errno.EEXIST, null);
            case BUILTIN:
                listener.action(step);
                return Outcome.OK;
            case MISSING:
                listener.action(step);
                listener.message(ToolLog.LOG_ERR, "could not find module by name='" + step.module() + "'");
                return new Outcome(Errno.ENOENT, null);
            case INSTALL:
                listener.action(step);
                return install(step);
            case INSMOD:
            default:
                listener.action(step);
                return insert(step);
        }
    }

    private Outcome install(LoadStep step) {
        String cmd = step.commandLine();
        try {
            int status = commands.run(cmd, step.module());
            if (status != 0) {
                listener.message(ToolLog.LOG_ERR, "Error running install command '" + cmd + "' for module "
                        + step.module() + ": retcode " + status);
                return new Outcome(Errno.EINVAL, null);
            }
            return Outcome.OK;
        } catch (IOException e) {
            listener.message(ToolLog.LOG_ERR, "Could not run install command '" + cmd + "' for module "
                    + step.module() + ": " + e.getMessage());
            return new Outcome(Errno.EINVAL, null);
        }
    }

    private Outcome insert(LoadStep step) {
        try {
            kernel.insert(Path.of(step.path()), step.options(), flags);
            return Outcome.OK;
        } catch (SyscallException e) {
            listener.refused(step, e);
            listener.message(ToolLog.LOG_INFO, "Failed to insert module '" + step.path() + "': " + e.errno().message());
            return new Outcome(e.errno(), e);
        }
    }
}
