package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.autoprobe.netlink.sys.UeventSender;
import org.junit.jupiter.api.Test;

/**
 * {@code autoprobe monitor} on this machine's real kernel (CI runs as root): events made by
 * writing to a device's {@code uevent} file are printed like udevadm's; forgeries go to stderr.
 */
class MonitorCommandTest {
    private static final Path SERIAL = Path.of("/sys/devices/platform/serial8250/uevent");

    private static CliRun monitorWhile(Runnable poke, String... args) throws Exception {
        return CliRun.capture((out, err) -> {
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.run(out, err, args));
            // the socket binds some time after the start: keep poking until the command is done
            while (!code.isDone()) {
                poke.run();
                Thread.sleep(50);
            }
            return code.get(1, TimeUnit.SECONDS);
        });
    }

    @Test
    void printsKernelEventsLikeUdevadm() throws Exception {
        assertTrue(Files.isWritable(SERIAL), SERIAL + " must be writable (run as root)");
        String uuid = UUID.randomUUID().toString();
        CliRun r = monitorWhile(() -> {
            try {
                Files.writeString(SERIAL, "change " + uuid);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "monitor", "--kernel", "--property", "--subsystem-match", "platform", "--count", "3", "--timeout", "20");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("monitor will print the received events for:\nKERNEL - the kernel uevent\n\n"), r.out());
        String block = "KERNEL\\[\\d+\\.\\d{6}\\] change   /devices/platform/serial8250 \\(platform\\)\n"
                + "ACTION=change\nDEVPATH=/devices/platform/serial8250\nSUBSYSTEM=platform\nSYNTH_UUID=" + uuid
                + "\n(?:[A-Z_]+=.*\n)*SEQNUM=\\d+\n\n";
        assertTrue(Pattern.compile(block).matcher(r.out()).find(), r.out());
        assertEquals(3, r.out().split("\nKERNEL\\[", -1).length - 1, r.out());
    }

    @Test
    void forgeriesAreReportedNotPrinted() throws Exception {
        byte[] forged = "add@/devices/forged\0ACTION=add\0DEVPATH=/devices/forged\0SUBSYSTEM=pci\0SEQNUM=1\0"
                .getBytes(StandardCharsets.US_ASCII);
        try (UeventSender forger = UeventSender.open()) {
            CliRun r = monitorWhile(() -> {
                try {
                    forger.send(forged, forged.length, 0, 1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "monitor", "--timeout", "1");
            assertEquals(0, r.code(), r.err());
            assertTrue(!r.out().contains("/devices/forged"), r.out());
            assertTrue(r.err().contains("autoprobe monitor: dropped a message not from the kernel: source port is not the kernel's"
                    + " (source port " + Integer.toUnsignedString(forger.port()) + ", pid " + ProcessHandle.current().pid()
                    + " uid 0)"), r.err());
            assertTrue(Pattern.compile("autoprobe monitor: \\d+ messages not from the kernel dropped, 0 malformed, 0 overflows")
                    .matcher(r.err()).find(), r.err());
        }
    }
}
