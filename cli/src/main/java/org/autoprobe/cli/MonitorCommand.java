package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.autoprobe.netlink.sys.UeventSocket;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.UeventCounters;
import org.autoprobe.netlink.uevent.UeventIntake;
import org.autoprobe.netlink.uevent.UeventSlot;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe monitor}: prints kernel uevents as they arrive, in the layout of
 * {@code udevadm monitor --kernel [--property]}, from the same verified socket the daemon reads.
 * Messages that are not from the kernel are reported on stderr, not printed as events.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Print kernel uevents as they arrive (like udevadm monitor --kernel).")
final class MonitorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--property"}, description = "Print each event's variables.")
    boolean property;

    @Option(names = {"-k", "--kernel"}, description = "Kernel events (the only kind; accepted for udevadm's sake).")
    boolean kernel;

    @Option(names = {"-s", "--subsystem-match"}, paramLabel = "SUBSYSTEM",
            description = "Print only events of these subsystems.")
    java.util.List<String> subsystems = new java.util.ArrayList<>();

    @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after N printed events.")
    long count = -1;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS", description = "Stop after this many seconds.")
    double timeout = -1;

    @Option(names = "--buffer-size", paramLabel = "BYTES",
            description = "Receive buffer to ask for (default: ${DEFAULT-VALUE}).")
    int bufferSize = UeventSocket.DEFAULT_RECEIVE_BUFFER;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long deadline = timeout < 0 ? Long.MAX_VALUE : System.nanoTime() + (long) (timeout * 1e9);
        try (UeventSocket socket = UeventSocket.open(bufferSize, UeventIntake.quiet())) {
            out.println("monitor will print the received events for:");
            out.println("KERNEL - the kernel uevent");
            out.println();
            out.flush();
            UeventSlot slot = new UeventSlot();
            long printed = 0;
            while (count < 0 || printed < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                long wait = deadline == Long.MAX_VALUE ? -1 : Math.max(1, left / 1_000_000);
                ReceiveOutcome o = socket.receive(slot, wait);
                switch (o) {
                    case EVENT -> {
                        if (wanted(slot)) {
                            print(out, slot);
                            printed++;
                        }
                    }
                    case DROPPED_SENDER -> err.println("autoprobe monitor: dropped a message not from the kernel: "
                            + slot.senderVerdict().text() + " (source port " + Integer.toUnsignedString(slot.senderPort())
                            + (slot.hasCredentials() ? ", pid " + slot.credentialsPid() + " uid "
                            + Integer.toUnsignedString(slot.credentialsUid()) : ", no credentials") + ")");
                    case MALFORMED -> err.println("autoprobe monitor: rejected a malformed kernel uevent: "
                            + slot.rejection().text());
                    case OVERFLOW -> err.println("autoprobe monitor: the kernel dropped events (ENOBUFS): "
                            + "receive buffer full; try a larger --buffer-size");
                    case LIBUDEV, TIMEOUT -> {
                    }
                    case CLOSED -> {
                        return 0;
                    }
                }
                err.flush();
            }
            summary(err, socket.counters());
            return 0;
        } catch (IOException e) {
            err.println("autoprobe monitor: " + e.getMessage());
            return 1;
        }
    }

    private boolean wanted(UeventSlot slot) {
        if (subsystems.isEmpty()) {
            return true;
        }
        for (String s : subsystems) {
            if (s.contentEquals(slot.subsystem())) {
                return true;
            }
        }
        return false;
    }

    /** udevadm's layout: {@code KERNEL[sec.usec] action   devpath (subsystem)} on the monotonic clock. */
    private void print(PrintWriter out, UeventSlot slot) {
        long now = System.nanoTime();
        out.printf(Locale.ROOT, "KERNEL[%d.%06d] %-8s %s (%s)%n", now / 1_000_000_000L, now / 1000 % 1_000_000,
                slot.action().text(), slot.devpath(), slot.subsystem());
        if (property) {
            for (int i = 0; i < slot.size(); i++) {
                out.println(slot.keyString(i) + "=" + slot.valueString(i));
            }
            out.println();
        }
        out.flush();
    }

    private static void summary(PrintWriter err, UeventCounters c) {
        long dropped = c.get(ReceiveOutcome.DROPPED_SENDER);
        long malformed = c.get(ReceiveOutcome.MALFORMED);
        long overflows = c.get(ReceiveOutcome.OVERFLOW);
        if (dropped + malformed + overflows > 0) {
            err.println("autoprobe monitor: " + dropped + " messages not from the kernel dropped, " + malformed
                    + " malformed, " + overflows + " overflows");
        }
    }
}
