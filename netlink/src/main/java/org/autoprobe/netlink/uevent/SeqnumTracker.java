package org.autoprobe.netlink.uevent;

/**
 * Watches the kernel's SEQNUM for holes. The kernel numbers every uevent, including those it only
 * sends to other network namespaces, so a gap means "maybe missed" rather than "surely lost";
 * overflows are the sure sign ({@link ReceiveOutcome#OVERFLOW}). Single-threaded (the reader's).
 */
public final class SeqnumTracker {
    private volatile long last;
    private volatile long gaps;
    private volatile long missed;
    private volatile long backwards;

    /**
     * Records an event's number.
     *
     * @return how many numbers were skipped since the previous event (0 for the first event, for one
     *         that follows on, and for one that goes backwards, which is counted apart)
     */
    long observe(long seqnum) {
        long prev = last;
        if (prev == 0) {
            last = seqnum;
            return 0;
        }
        if (seqnum <= prev) {
            backwards++;
            return 0;
        }
        last = seqnum;
        long gap = seqnum - prev - 1;
        if (gap > 0) {
            gaps++;
            missed += gap;
        }
        return gap;
    }

    /** Forget the last number (after a resynchronisation). */
    public void reset() {
        last = 0;
    }

    /** The last number seen, 0 before any. */
    public long last() {
        return last;
    }

    /** How many times numbers were skipped. */
    public long gaps() {
        return gaps;
    }

    /** How many numbers were skipped in all. */
    long missed() {
        return missed;
    }

    /** How many events came with a number not above the last one. */
    long backwards() {
        return backwards;
    }
}
