package org.autoprobe.netlink.uevent;

/**
 * Lets through at most {@code burst} log lines per {@code interval}, and says how many it held
 * back, so a flood of forged messages cannot flood the log. Single-threaded.
 */
final class LogLimiter {
    private final int burst;
    private final long intervalNanos;
    private long windowStart;
    private boolean started;
    private int used;
    private long suppressed;

    LogLimiter(int burst, long intervalNanos) {
        if (burst < 1 || intervalNanos < 1) {
            throw new IllegalArgumentException("burst and interval must be positive");
        }
        this.burst = burst;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Whether a line may be logged now.
     *
     * @return -1 if not (it is counted as held back); otherwise how many lines were held back since
     *         the last one that went through (0 usually), to mention in this one
     */
    long acquire(long nowNanos) {
        if (!started || nowNanos - windowStart >= intervalNanos) {
            started = true;
            windowStart = nowNanos;
            used = 0;
        }
        if (used >= burst) {
            suppressed++;
            return -1;
        }
        used++;
        long s = suppressed;
        suppressed = 0;
        return s;
    }
}
