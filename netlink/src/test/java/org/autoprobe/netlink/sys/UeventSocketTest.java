package org.autoprobe.netlink.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.autoprobe.netlink.sysfs.SysfsTrigger;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.SenderVerdict;
import org.autoprobe.netlink.uevent.UeventAction;
import org.autoprobe.netlink.uevent.UeventIntake;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.junit.jupiter.api.Test;

/**
 * The real socket on this machine's kernel (CI runs as root, so these always run and fail loudly
 * when the socket cannot be opened). Real events are made by writing to a device's {@code uevent}
 * file; each test tags its events with a SYNTH_UUID so events from anything else are told apart.
 */
class UeventSocketTest {
    private static final Path SERIAL = Path.of("/sys/devices/platform/serial8250/uevent");
    private static final String SERIAL_DEVPATH = "/devices/platform/serial8250";

    private static void trigger(Path uevent, String action, String uuid) throws IOException {
        Files.writeString(uevent, action + " " + uuid, StandardCharsets.US_ASCII);
    }

    private static Path device() {
        assertTrue(Files.isWritable(SERIAL), SERIAL + " must exist and be writable (run as root on Linux)");
        return SERIAL;
    }

    /**
     * Receives until an outcome other than an unrelated event arrives, for at most 5 s: events
     * count only when they carry {@code uuid} (pass "-" to wait for a non-event).
     */
    private static ReceiveOutcome next(UeventSocket s, UeventSlot slot, String uuid) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            ReceiveOutcome o = s.receive(slot, 200);
            if (o == ReceiveOutcome.TIMEOUT) {
                continue;
            }
            if (o == ReceiveOutcome.EVENT && !uuid.equals(String.valueOf(slot.get("SYNTH_UUID")))) {
                continue; // someone else's event
            }
            return o;
        }
        return fail("nothing arrived within 5 s");
    }

    @Test
    void aRealKernelEventArrivesFromPortZeroAsRoot() throws IOException {
        Path dev = device();
        try (UeventSocket s = UeventSocket.open()) {
            assertNotEquals(0, s.port());
            assertTrue(s.receiveBufferForced(), "root may force the receive buffer past rmem_max");
            assertEquals(2 * UeventSocket.DEFAULT_RECEIVE_BUFFER, s.receiveBuffer(), "the kernel doubles what was asked");
            String uuid = UUID.randomUUID().toString();
            trigger(dev, "change", uuid);
            UeventSlot slot = new UeventSlot();
            assertEquals(ReceiveOutcome.EVENT, next(s, slot, uuid));
            assertEquals(0, slot.senderPort());
            assertEquals(1, slot.senderGroups());
            assertTrue(slot.hasCredentials());
            assertEquals(0, slot.credentialsUid());
            assertEquals(SenderVerdict.KERNEL, slot.senderVerdict());
            assertEquals(UeventAction.CHANGE, slot.action());
            assertEquals(SERIAL_DEVPATH, slot.devpath().toString());
            assertEquals("platform", slot.subsystem().toString());
            assertTrue(slot.seqnum() > 0);
            assertEquals(String.valueOf(slot.seqnum()), slot.get("SEQNUM").toString());
            assertEquals(uuid, slot.get("SYNTH_UUID").toString());
            assertTrue(s.counters().get(ReceiveOutcome.EVENT) >= 1);
            assertEquals(slot.seqnum(), s.seqnums().last());
        }
    }

    @Test
    void aSysfsTriggerIsAnnouncedOnTheSocket() throws IOException {
        Path dev = device().getParent();
        try (UeventSocket s = UeventSocket.open()) {
            String uuid = UUID.randomUUID().toString();
            List<String> warnings = new ArrayList<>();
            assertTrue(SysfsTrigger.trigger(dev, UeventAction.ADD, uuid, warnings::add) >= 1);
            assertEquals(List.of(), warnings);
            UeventSlot slot = new UeventSlot();
            assertEquals(ReceiveOutcome.EVENT, next(s, slot, uuid));
            assertEquals(UeventAction.ADD, slot.action());
            assertEquals(SERIAL_DEVPATH, slot.devpath().toString());
        }
    }

    @Test
    void consecutiveKernelEventsHaveIncreasingSeqnums() throws IOException {
        Path dev = device();
        try (UeventSocket s = UeventSocket.open()) {
            UeventSlot slot = new UeventSlot();
            String a = UUID.randomUUID().toString();
            String b = UUID.randomUUID().toString();
            trigger(dev, "change", a);
            trigger(dev, "add", b);
            assertEquals(ReceiveOutcome.EVENT, next(s, slot, a));
            long first = slot.seqnum();
            assertEquals(ReceiveOutcome.EVENT, next(s, slot, b));
            assertEquals(UeventAction.ADD, slot.action());
            assertTrue(slot.seqnum() > first, slot.seqnum() + " after " + first);
        }
    }

    private static final byte[] FORGED = ("add@/devices/forged\0ACTION=add\0DEVPATH=/devices/forged\0"
            + "SUBSYSTEM=pci\0MODALIAS=pci:v00008086d00001234sv*sd*bc*sc*i*\0SEQNUM=1\0")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void aUnicastForgeryFromOurOwnProcessIsDropped() throws IOException {
        try (UeventSocket s = UeventSocket.open(); UeventSender forger = UeventSender.open()) {
            forger.send(FORGED, FORGED.length, s.port(), 0);
            UeventSlot slot = new UeventSlot();
            assertEquals(ReceiveOutcome.DROPPED_SENDER, next(s, slot, "-"));
            assertEquals(SenderVerdict.UNICAST, slot.senderVerdict());
            assertEquals(forger.port(), slot.senderPort());
            assertEquals(0, slot.senderGroups());
            assertTrue(slot.hasCredentials());
            assertEquals(ProcessHandle.current().pid(), slot.credentialsPid());
            assertEquals(0, slot.size(), "a dropped message must leave nothing to act on");
            assertEquals(1, s.counters().get(SenderVerdict.UNICAST));
            assertEquals(1, s.counters().get(ReceiveOutcome.DROPPED_SENDER));
        }
    }

    @Test
    void aMulticastForgeryOnTheKernelGroupIsDropped() throws IOException {
        try (UeventSocket s = UeventSocket.open(); UeventSender forger = UeventSender.open()) {
            // root may send to group 1; what gives it away is the source port
            forger.send(FORGED, FORGED.length, 0, 1);
            UeventSlot slot = new UeventSlot();
            assertEquals(ReceiveOutcome.DROPPED_SENDER, next(s, slot, "-"));
            assertEquals(SenderVerdict.NOT_KERNEL_PORT, slot.senderVerdict());
            assertEquals(forger.port(), slot.senderPort());
            assertEquals(1, slot.senderGroups());
            assertEquals(0, slot.credentialsUid(), "root's forgery carries uid 0: the port is the only tell");
        }
    }

    @Test
    void aFullReceiveBufferIsReportedAsOverflowThenEventsFlowAgain() throws IOException {
        Path dev = device();
        try (UeventSocket s = UeventSocket.open(1, new UeventIntake())) {
            assertTrue(s.receiveBuffer() < 8192, "tiny buffer expected, got " + s.receiveBuffer());
            String uuid = UUID.randomUUID().toString();
            for (int i = 0; i < 100; i++) {
                trigger(dev, "change", uuid);
            }
            UeventSlot slot = new UeventSlot();
            Map<ReceiveOutcome, Integer> seen = new EnumMap<>(ReceiveOutcome.class);
            ReceiveOutcome o;
            while ((o = s.receive(slot, 300)) != ReceiveOutcome.TIMEOUT) {
                seen.merge(o, 1, Integer::sum);
            }
            assertTrue(seen.getOrDefault(ReceiveOutcome.OVERFLOW, 0) >= 1, "no ENOBUFS: " + seen);
            assertTrue(seen.getOrDefault(ReceiveOutcome.EVENT, 0) < 100, seen.toString());
            assertEquals(seen.get(ReceiveOutcome.OVERFLOW).longValue(), s.counters().get(ReceiveOutcome.OVERFLOW));
            // after the overflow the socket still works
            String after = UUID.randomUUID().toString();
            trigger(dev, "change", after);
            assertEquals(ReceiveOutcome.EVENT, next(s, slot, after));
        }
    }

    @Test
    void closeWakesAWaitingReader() throws Exception {
        UeventSocket s = UeventSocket.open();
        UeventSlot slot = new UeventSlot();
        CompletableFuture<ReceiveOutcome> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                ReceiveOutcome o;
                while ((o = s.receive(slot, -1)) != ReceiveOutcome.CLOSED) {
                    assertNotNull(o); // real events may arrive meanwhile
                }
                return o;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(200);
        long start = System.nanoTime();
        s.close();
        assertEquals(ReceiveOutcome.CLOSED, waiting.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertEquals(ReceiveOutcome.CLOSED, s.receive(slot, 0));
        s.close();
    }

    @Test
    void receivingKernelEventsAllocatesNothingInTheSteadyState() throws IOException {
        Path dev = device();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (UeventSocket s = UeventSocket.open()) {
            UeventSlot slot = new UeventSlot();
            String uuid = UUID.randomUUID().toString();
            int n = 400;
            for (int i = 0; i < n; i++) {
                trigger(dev, "change", uuid);
            }
            for (int i = 0; i < 100; i++) {
                assertEquals(ReceiveOutcome.EVENT, s.receive(slot, 1000), "warm-up " + i);
            }
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            int events = 0;
            for (int i = 100; i < n; i++) {
                if (s.receive(slot, 1000) == ReceiveOutcome.EVENT) {
                    events++;
                }
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertTrue(events >= n - 100 - 5, events + " events");
            assertTrue(allocated < 4096, allocated + " bytes allocated for " + events + " receives");
        }
    }
}
