package org.autoprobe.netlink.uevent;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a uevent source has seen, by outcome, sender verdict and rejection reason. Written by the
 * reader thread, readable from any thread (metrics); counting allocates nothing.
 */
public final class UeventCounters {
    private final AtomicLongArray outcomes = new AtomicLongArray(ReceiveOutcome.values().length);
    private final AtomicLongArray verdicts = new AtomicLongArray(SenderVerdict.values().length);
    private final AtomicLongArray rejections = new AtomicLongArray(Rejection.values().length);

    void count(ReceiveOutcome o) {
        outcomes.incrementAndGet(o.ordinal());
    }

    void count(SenderVerdict v) {
        verdicts.incrementAndGet(v.ordinal());
    }

    void count(Rejection r) {
        rejections.incrementAndGet(r.ordinal());
    }

    /** How many receives ended with {@code o} (TIMEOUT and CLOSED included). */
    public long get(ReceiveOutcome o) {
        return outcomes.get(o.ordinal());
    }

    /** How many messages got sender verdict {@code v}. */
    public long get(SenderVerdict v) {
        return verdicts.get(v.ordinal());
    }

    /** How many kernel messages were rejected for {@code r}. */
    public long get(Rejection r) {
        return rejections.get(r.ordinal());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ReceiveOutcome o : ReceiveOutcome.values()) {
            sb.append(sb.length() == 0 ? "" : " ").append(o.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(get(o));
        }
        return sb.toString();
    }
}
