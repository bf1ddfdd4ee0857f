package org.autoprobe.daemon.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * How long module loads took, in fixed buckets from 10 ms to 30 s (a load that finds its module
 * in the kernel takes well under 10 ms; a driver whose probe resets its device, seconds; one that
 * waits for a bus scan, up to tens of seconds). Recording allocates nothing and takes no lock.
 */
final class LoadHistogram {
    /** Upper bounds in seconds, ascending; the +Inf bucket follows. */
    static final double[] BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** Per bucket, not cumulative; the last is above every bound. */
    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LoadHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one load of {@code nanos} (a negative time, from a clock that went back, counts as 0). */
    void observe(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUND_NANOS.length && n > BOUND_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(n);
    }

    /**
     * The counts now, per bucket (not cumulative; the last one above every bound), and their sum
     * in seconds.
     */
    Snapshot snapshot() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return new Snapshot(BOUNDS.clone(), c, sumNanos.sum() / 1e9);
    }

    /**
     * @param bounds upper bounds in seconds (without +Inf)
     * @param counts per bucket, one more than {@code bounds} (the last above every bound)
     * @param sum    the seconds observed, all together
     */
    public record Snapshot(double[] bounds, long[] counts, double sum) {
        long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }
}
