package org.autoprobe.netlink.uevent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The sender policy on synthetic metadata: only port 0, group 1, uid 0 is the kernel. */
class UeventIntakeTest {
    private final AtomicLong clock = new AtomicLong();
    private final UeventIntake intake = new UeventIntake(clock::get, true);
    private final UeventSlot slot = new UeventSlot();
    private final byte[] event = Messages.serial8250();

    private ReceiveOutcome from(int port, int groups, boolean creds, int uid) {
        slot.setSender(port, groups, creds, 4321, uid, uid);
        return intake.accept(event, 0, event.length, false, slot);
    }

    @Test
    void theKernelIsAccepted() {
        assertEquals(ReceiveOutcome.EVENT, from(0, 1, true, 0));
        assertEquals(SenderVerdict.KERNEL, slot.senderVerdict());
        assertEquals(1, intake.counters().get(ReceiveOutcome.EVENT));
        assertEquals(1, intake.counters().get(SenderVerdict.KERNEL));
    }

    @Test
    void everythingElseIsDroppedAndCounted() {
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(12345, 0, true, 0));
        assertEquals(SenderVerdict.UNICAST, slot.senderVerdict());
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(0, 0, true, 0));
        assertEquals(SenderVerdict.UNICAST, slot.senderVerdict());
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(12345, 1, true, 0));
        assertEquals(SenderVerdict.NOT_KERNEL_PORT, slot.senderVerdict());
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(0, 2, true, 0));
        assertEquals(SenderVerdict.WRONG_GROUP, slot.senderVerdict());
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(0, 3, true, 0));
        assertEquals(SenderVerdict.WRONG_GROUP, slot.senderVerdict());
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(0, 1, false, 0));
        assertEquals(SenderVerdict.NO_CREDENTIALS, slot.senderVerdict());
        assertEquals(ReceiveOutcome.DROPPED_SENDER, from(0, 1, true, 1000));
        assertEquals(SenderVerdict.NOT_ROOT, slot.senderVerdict());
        assertEquals(0, slot.size());
        assertNull(slot.action());
        UeventCounters c = intake.counters();
        assertEquals(7, c.get(ReceiveOutcome.DROPPED_SENDER));
        assertEquals(2, c.get(SenderVerdict.UNICAST));
        assertEquals(2, c.get(SenderVerdict.WRONG_GROUP));
        assertEquals(0, c.get(ReceiveOutcome.EVENT));
        assertEquals(0, intake.seqnums().last(), "a forged SEQNUM must not move the tracker");
    }

    @Test
    void aDroppedMessageIsNotEvenParsed() {
        byte[] garbage = {1, 2, 3};
        slot.setSender(99, 0, true, 1, 0, 0);
        assertEquals(ReceiveOutcome.DROPPED_SENDER, intake.accept(garbage, 0, 3, false, slot));
        assertEquals(0, intake.counters().get(ReceiveOutcome.MALFORMED));
    }

    @Test
    void kernelMessagesThatDoNotParseAreCountedByReason() {
        byte[] bad = Messages.raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=z");
        slot.setSender(0, 1, true, 0, 0, 0);
        assertEquals(ReceiveOutcome.MALFORMED, intake.accept(bad, 0, bad.length, false, slot));
        assertEquals(ReceiveOutcome.MALFORMED, intake.accept(event, 0, event.length, true, slot));
        assertEquals(Rejection.TRUNCATED, slot.rejection());
        assertEquals(1, intake.counters().get(Rejection.BAD_SEQNUM));
        assertEquals(1, intake.counters().get(Rejection.TRUNCATED));
        assertEquals(2, intake.counters().get(ReceiveOutcome.MALFORMED));
    }

    @Test
    void seqnumGapsAreReportedOnTheEvent() {
        slot.setSender(0, 1, true, 0, 0, 0);
        byte[] a = Messages.kernel("add", "/devices/a", "pci", 100);
        byte[] b = Messages.kernel("add", "/devices/b", "pci", 101);
        byte[] c = Messages.kernel("add", "/devices/c", "pci", 105);
        intake.accept(a, 0, a.length, false, slot);
        assertEquals(0, slot.seqnumGap());
        intake.accept(b, 0, b.length, false, slot);
        assertEquals(0, slot.seqnumGap());
        intake.accept(c, 0, c.length, false, slot);
        assertEquals(3, slot.seqnumGap());
        assertEquals(1, intake.seqnums().gaps());
        assertEquals(3, intake.seqnums().missed());
    }

    @Test
    void overflowsAndIdleOutcomesAreCounted() {
        assertEquals(ReceiveOutcome.OVERFLOW, intake.overflow());
        assertEquals(ReceiveOutcome.OVERFLOW, intake.overflow());
        assertEquals(ReceiveOutcome.TIMEOUT, intake.idle(ReceiveOutcome.TIMEOUT));
        assertEquals(2, intake.counters().get(ReceiveOutcome.OVERFLOW));
        assertEquals(1, intake.counters().get(ReceiveOutcome.TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> intake.idle(ReceiveOutcome.EVENT));
    }

    @Test
    void libudevMessagesFromTheKernelGroupAreIgnored() {
        byte[] m = new byte[40];
        System.arraycopy("libudev\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, m, 0, 8);
        slot.setSender(0, 1, true, 0, 0, 0);
        assertEquals(ReceiveOutcome.LIBUDEV, intake.accept(m, 0, m.length, false, slot));
        assertEquals(1, intake.counters().get(ReceiveOutcome.LIBUDEV));
    }
}
