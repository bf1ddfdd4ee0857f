package org.autoprobe.netlink.uevent;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a uevent source does with each message it reads, apart from the reading: check the sender,
 * parse, watch SEQNUM, count, and log trouble at a limited rate. Pure Java, so the policy is tested
 * with synthetic metadata; the socket feeds it. Single-threaded (the reader's).
 */
public final class UeventIntake {
    private static final Logger LOG = LoggerFactory.getLogger(UeventIntake.class);
    private static final long TEN_SECONDS = 10_000_000_000L;

    private final UeventCounters counters = new UeventCounters();
    private final SeqnumTracker seqnums = new SeqnumTracker();
    private final LongSupplier nanoClock;
    private final boolean log;
    private final LogLimiter dropLog = new LogLimiter(10, TEN_SECONDS);
    private final LogLimiter overflowLog = new LogLimiter(3, TEN_SECONDS);

    /** An intake that logs trouble (dropped, malformed, overflow) at a limited rate. */
    public UeventIntake() {
        this(System::nanoTime, true);
    }

    /** An intake that only counts: for a caller that reports each outcome itself (the monitor). */
    public static UeventIntake quiet() {
        return new UeventIntake(System::nanoTime, false);
    }

    /**
     * @param nanoClock the clock the log rate limit runs on
     * @param log       whether to log trouble at all
     */
    public UeventIntake(LongSupplier nanoClock, boolean log) {
        this.nanoClock = nanoClock;
        this.log = log;
    }

    public UeventCounters counters() {
        return counters;
    }

    public SeqnumTracker seqnums() {
        return seqnums;
    }

    /**
     * Judges and parses one message whose sender {@link UeventSlot#setSender} recorded.
     *
     * @param truncated whether the socket cut the message (MSG_TRUNC)
     */
    public ReceiveOutcome accept(byte[] buf, int off, int len, boolean truncated, UeventSlot slot) {
        SenderVerdict verdict = SenderVerdict.judge(slot);
        if (verdict != SenderVerdict.KERNEL) {
            slot.clear();
            slot.verdict = verdict;
            counters.count(verdict);
            long held = log ? dropLog.acquire(nanoClock.getAsLong()) : -1;
            if (held >= 0) {
                LOG.warn("dropped a {}-byte message on the uevent socket: {} (source port {}, credentials {}){}",
                        len, verdict.text(), Integer.toUnsignedString(slot.senderPort()), credentials(slot),
                        held > 0 ? " [" + held + " similar lines held back]" : "");
            }
            return done(ReceiveOutcome.DROPPED_SENDER);
        }
        counters.count(verdict);
        ReceiveOutcome o;
        if (truncated) {
            slot.clear();
            slot.rejection = Rejection.TRUNCATED;
            o = ReceiveOutcome.MALFORMED;
        } else {
            o = UeventParser.parse(buf, off, len, slot);
        }
        slot.verdict = verdict;
        if (o == ReceiveOutcome.MALFORMED) {
            counters.count(slot.rejection);
            long held = log ? dropLog.acquire(nanoClock.getAsLong()) : -1;
            if (held >= 0) {
                LOG.warn("rejected a {}-byte kernel uevent: {}{}", len, slot.rejection.text(),
                        held > 0 ? " [" + held + " similar lines held back]" : "");
            }
        } else if (o == ReceiveOutcome.EVENT) {
            long gap = seqnums.observe(slot.seqnum);
            slot.seqnumGap = gap;
            if (gap > 0 && LOG.isDebugEnabled()) {
                LOG.debug("SEQNUM jumped by {} before {} (events for other namespaces, or lost)", gap, slot.seqnum);
            }
        }
        return done(o);
    }

    /** Counts an ENOBUFS from the socket: the kernel dropped messages. */
    public ReceiveOutcome overflow() {
        long held = log ? overflowLog.acquire(nanoClock.getAsLong()) : -1;
        if (held >= 0) {
            LOG.warn("uevent socket overflowed (ENOBUFS): the kernel dropped events; resynchronising from sysfs{}",
                    held > 0 ? " [" + held + " more overflows not logged]" : "");
        }
        return done(ReceiveOutcome.OVERFLOW);
    }

    /** Counts a receive that ended with TIMEOUT or CLOSED. */
    public ReceiveOutcome idle(ReceiveOutcome o) {
        if (o != ReceiveOutcome.TIMEOUT && o != ReceiveOutcome.CLOSED) {
            throw new IllegalArgumentException("not an idle outcome: " + o);
        }
        return done(o);
    }

    private ReceiveOutcome done(ReceiveOutcome o) {
        counters.count(o);
        return o;
    }

    private static String credentials(UeventSlot slot) {
        return slot.hasCredentials()
                ? "pid " + slot.credentialsPid() + " uid " + Integer.toUnsignedString(slot.credentialsUid())
                : "none";
    }
}
