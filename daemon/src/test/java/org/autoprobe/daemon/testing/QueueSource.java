package org.autoprobe.daemon.testing;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.SeqnumTracker;
import org.autoprobe.netlink.uevent.UeventCounters;
import org.autoprobe.netlink.uevent.UeventIntake;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.autoprobe.netlink.uevent.UeventSource;

/** A uevent source fed by the test, as if the kernel sent each message (port 0, group 1, uid 0). */
public final class QueueSource implements UeventSource {
    private static final byte[] CLOSE = new byte[0];
    private static final byte[] OVERFLOW = new byte[0];

    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final UeventIntake intake = UeventIntake.quiet();
    private volatile boolean closed;

    public void kernelSends(byte[] message) {
        queue.add(message);
    }

    /** The next receive reports ENOBUFS. */
    public void overflow() {
        queue.add(OVERFLOW);
    }

    @Override
    public ReceiveOutcome receive(UeventSlot slot, long timeoutMillis) {
        try {
            byte[] m = timeoutMillis < 0 ? queue.take() : queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (m == null) {
                return intake.idle(ReceiveOutcome.TIMEOUT);
            }
            if (m == CLOSE || closed) {
                return intake.idle(ReceiveOutcome.CLOSED);
            }
            if (m == OVERFLOW) {
                return intake.overflow();
            }
            slot.setSender(0, 1, true, 0, 0, 0);
            return intake.accept(m, 0, m.length, false, slot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return intake.idle(ReceiveOutcome.CLOSED);
        }
    }

    @Override
    public UeventCounters counters() {
        return intake.counters();
    }

    @Override
    public SeqnumTracker seqnums() {
        return intake.seqnums();
    }

    @Override
    public void close() {
        closed = true;
        queue.add(CLOSE);
    }
}
