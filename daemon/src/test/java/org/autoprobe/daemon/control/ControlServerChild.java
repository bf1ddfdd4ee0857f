package org.autoprobe.daemon.control;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.autoprobe.daemon.sys.Users;

/**
 * A control server in a process of its own, for tests that need another uid's view of the
 * password database or a lower descriptor limit: {@code PATH DEADLINE_MS PER_USER USERS ROOT}.
 * Prints {@code READY <pid> <name of uid 4242>} once it has answered itself, serves until its
 * standard input closes, then prints its counters.
 */
public final class ControlServerChild {
    private ControlServerChild() {
    }

    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        ControlServer.Limits limits = new ControlServer.Limits(Duration.ofMillis(Long.parseLong(args[1])),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        try (ControlServer server = ControlServer.open(path, req -> List.of("uid=" + req.uid(), "command=" + req.command()), limits)) {
            ControlClient.Response r = ControlClient.request(path, "status");
            if (!r.ok()) {
                throw new IllegalStateException("no answer from myself: " + r);
            }
            System.out.println("READY " + ProcessHandle.current().pid() + " " + Users.name(4242));
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our input
            }
            ControlServer.Counters c = server.counters();
            System.out.println("COUNTERS accepted=" + c.accepted.sum() + " busy=" + c.busy.sum() + " shed="
                    + c.shedNoDescriptors.sum() + " timedOut=" + c.timedOut.sum() + " refused=" + c.refused.sum());
            System.out.flush();
        }
    }
}
