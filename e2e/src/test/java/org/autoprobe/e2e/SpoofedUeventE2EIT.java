package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.autoprobe.netlink.sys.UeventSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: a uevent forged by a process in the guest, from its own netlink socket, is not acted on.
 * A root process sends {@code add} events for an RTL8139 (a MODALIAS whose drivers, 8139cp and
 * 8139too, are not loaded) with the project's {@code UeventSender}: once unicast to the daemon's
 * port, once multicast to the kernel's group 1. The daemon must count both as dropped and load
 * nothing; a real kernel event afterwards shows it was listening all along.
 */
class SpoofedUeventE2EIT {
    private static final String MODALIAS = "pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00";
    private static final String SENDER = """
            import java.nio.charset.StandardCharsets;
            import org.autoprobe.netlink.sys.UeventSender;

            public class Spoof {
                public static void main(String[] args) throws Exception {
                    String dev = "/devices/pci0000:00/0000:00:1e.0";
                    String text = "add@" + dev + "\\0ACTION=add\\0DEVPATH=" + dev + "\\0SUBSYSTEM=pci\\0"
                            + "PCI_ID=10EC:8139\\0MODALIAS=%s\\0SEQNUM=900000\\0";
                    byte[] msg = text.getBytes(StandardCharsets.US_ASCII);
                    try (UeventSender s = UeventSender.open()) {
                        for (String target : args) {
                            String[] pg = target.split(":");
                            s.send(msg, msg.length, Integer.parseUnsignedInt(pg[0]), Integer.parseInt(pg[1]));
                            System.out.println("sent=" + target + " from port " + s.port());
                        }
                    }
                }
            }
            """.formatted(MODALIAS);

    static Guest guest;

    @BeforeAll
    static void boot() {
        guest = Guest.boot(GuestOptions.defaults());
        try {
            // compiled here, not by the guest's source launcher: javac under TCG is slow, and a guest
            // JVM once crashed (SIGSEGV in C1-compiled javac code) doing it
            Path src = Files.writeString(guest.outDir().resolve("Spoof.java"), SENDER);
            Path classes = Files.createDirectories(guest.outDir().resolve("spoof-classes"));
            // UeventSender is a test double (netlink's test-jar), not in the shipped jars of cli/target/lib:
            // its class goes next to the forger's, in the package whose package-private calls it uses
            Path sender = Files.createDirectories(classes.resolve("org/autoprobe/netlink/sys"));
            try (java.io.InputStream in = UeventSender.class.getResourceAsStream("UeventSender.class")) {
                Files.write(sender.resolve("UeventSender.class"), in.readAllBytes());
            }
            String lib = guest.repo().resolve("cli/target/lib").toString();
            javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
            String cp;
            try (Stream<Path> jars = Files.list(Path.of(lib))) {
                cp = String.join(java.io.File.pathSeparator, Stream.concat(Stream.of(classes.toString()),
                        jars.map(Path::toString).sorted()).toList());
            }
            int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", cp, src.toString());
            assertEquals(0, rc, "compiling the forger");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void forgedAddEventsAreDroppedAndLoadNothing() {
        Autoloading a = new Autoloading(guest);
        a.daemonStart("--no-watch");
        a.daemonReady();
        // the daemon's uevent socket: family 15, group 1, a port of its own (the kernel's side has port 0)
        String port = guest.check("awk '$2 == 15 && $3 != 0 && $4 == \"00000001\" {print $3}' /proc/net/netlink")
                .stdout().strip();
        assertTrue(port.matches("-?[0-9]+"), "cannot find the daemon's uevent socket in /proc/net/netlink: " + port);
        Map<String, String> before = a.status();
        String lib = guest.repo().resolve("cli/target/lib").toString();
        CommandResult sent = guest.check("java -XX:TieredStopAtLevel=1 -cp '/e2e/spoof-classes:" + lib + "/*' Spoof " + Integer.toUnsignedString(
                Integer.parseInt(port)) + ":0 0:1");
        assertEquals(2, sent.stdout().lines().filter(l -> l.startsWith("sent=")).count(), sent.describe());
        // a real kernel event after the forged ones: once it is counted, the forged ones were seen too
        long kernelBefore = Long.parseLong(before.get("socket.event"));
        Map<String, String> after = a.status();
        for (int i = 0; i < 20 && Long.parseLong(after.get("socket.event")) <= kernelBefore; i++) {
            guest.check("echo add > /sys/devices/platform/pcspkr/uevent; sleep 0.5");
            after = a.status();
        }
        assertTrue(Long.parseLong(after.get("socket.event")) > kernelBefore,
                "the daemon received no kernel event at all: " + after);
        long dropped = Long.parseLong(after.get("socket.dropped_sender")) - Long.parseLong(before.get("socket.dropped_sender"));
        assertEquals(2, dropped, "forged events dropped (unicast to the daemon's port, multicast to group 1): "
                + after + "\n" + a.daemonLog());
        List<String> loaded = guest.loadedNames();
        assertFalse(loaded.contains("8139cp") || loaded.contains("8139too"),
                "a forged event loaded a driver: " + loaded + "\n" + a.daemonLog());
        assertFalse(a.daemonLog().contains("8139"), "the daemon acted on a forged event:\n" + a.daemonLog());
    }
}
