package org.autoprobe.cli;

import java.util.List;

/** The subcommands of {@code autoprobe}; each tool adds itself here. */
final class Commands {
    private Commands() {
    }

    static List<Object> all() {
        return List.of(
                new DepmodCommand(),
                new ModprobeCommand(),
                new ResolveCommand(),
                new DevicesCommand(),
                new ExplainCommand(),
                new ModinfoCommand(),
                new InsmodCommand(),
                new RmmodCommand(),
                new LsmodCommand(),
                new MonitorCommand(),
                new DaemonCommand(),
                new ColdplugCommand(),
                new StatusCommand(),
                new CompatCommand()
        );
    }
}
