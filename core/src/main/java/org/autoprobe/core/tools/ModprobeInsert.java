package org.autoprobe.core.tools;

import java.util.List;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.PlanExecutor;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;
import org.autoprobe.core.resolve.ProbeFlags;
import org.autoprobe.core.resolve.Resolver;

/**
 * kmod 30's {@code modprobe [-a] NAME [params]} when it inserts: every module the name or alias
 * yields is planned once and its plan run; messages and exit code as kmod's.
 */
public final class ModprobeInsert {
    /**
     * The options that change an insertion.
     *
     * @param all            {@code -a}: every argument is a name, no parameters
     * @param ignoreCommands {@code -i}
     * @param useBlacklist   {@code -b}
     * @param firstTime      {@code --first-time}
     * @param force          {@code -f}, {@code --force-modversion}, {@code --force-vermagic}
     */
    public record Options(boolean all, boolean ignoreCommands, boolean useBlacklist, boolean firstTime,
                          InsertFlags force) {
        public Options {
            Objects.requireNonNull(force, "force");
        }
    }

    private final Resolver resolver;
    private final ToolLog log;
    private final Options options;
    private final PlanExecutor executor;

    /** @param log the run's log; the resolver's errors should go into it too (LOG_ERR) */
    public ModprobeInsert(Resolver resolver, Kernel kernel, CommandRunner commands, ToolLog log, Options options) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.log = Objects.requireNonNull(log, "log");
        this.options = Objects.requireNonNull(options, "options");
        boolean show = log.threshold() > ToolLog.LOG_WARNING;
        this.executor = new PlanExecutor(kernel, commands, options.force(), new PlanExecutor.Listener() {
            @Override
            public void action(LoadStep step) {
                if (show) {
                    step.showDependsLine().ifPresent(log::out);
                }
            }

            @Override
            public void message(int priority, String text) {
                log.log(priority, text);
            }
        });
    }

    public ToolResult run(List<String> args) {
        if (args.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "missing parameters. See -h.");
            return log.result(1);
        }
        int status = 0;
        if (options.all()) {
            for (String name : args) {
                int r = insmod(name, null, ToolLog.LOG_WARNING);
                if (log.fatal()) {
                    break;
                }
                if (r < 0) {
                    status = r;
                }
            }
        } else {
            status = insmod(args.get(0), Modprobe.optionsFromArray(args.subList(1, args.size())), ToolLog.LOG_CRIT);
        }
        return log.result(status < 0 ? 1 : 0);
    }

    private int insmod(String name, String extraOptions, int notFoundPriority) {
        ProbeFlags flags = new ProbeFlags(options.ignoreCommands(), false, options.firstTime(),
                options.useBlacklist() ? ProbeFlags.Blacklist.ALWAYS : ProbeFlags.Blacklist.ALIAS_ONLY);
        List<LoadPlan> plans = resolver.plan(name, flags, extraOptions);
        if (plans.isEmpty()) {
            log.log(notFoundPriority, "Module " + name + " not found in directory " + resolver.moduleDirectory());
            return -Errno.ENOENT.value();
        }
        int err = 0;
        for (LoadPlan plan : plans) {
            PlanExecutor.Outcome outcome = executor.run(plan, options.firstTime());
            if (outcome.ok()) {
                err = 0;
                continue;
            }
            Errno e = outcome.errno();
            String mod = plan.target().name();
            err = -e.value();
            if (e.equals(Errno.EEXIST)) {
                log.log(ToolLog.LOG_ERR, "could not insert '" + mod + "': Module already in kernel");
            } else if (e.equals(Errno.ENOENT)) {
                log.log(ToolLog.LOG_ERR, "could not insert '" + mod
                        + "': Unknown symbol in module, or unknown parameter (see dmesg)");
            } else {
                log.log(ToolLog.LOG_ERR, "could not insert '" + mod + "': " + e.message());
            }
        }
        return err;
    }
}
