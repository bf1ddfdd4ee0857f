package org.autoprobe.daemon.control;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.helpers.MessageFormatter;

/**
 * A token bucket in front of a log: at most {@code burst} lines at once, then one more each
 * {@code refill}; the rest are counted, and the next line written says how many were left out.
 * For lines whose rate an unprivileged user controls (bad requests, refusals, shed connections).
 */
final class RateLimitedLog {
    static {
        // load the formatter now: a line may have to be written when no descriptor is left to load it
        MessageFormatter.arrayFormat("{}", new Object[] {0}).getMessage();
    }

    private final Consumer<String> sink;
    private final int burst;
    private final long refillNanos;
    private final LongSupplier clock;
    private double tokens;
    private long last;
    private long suppressedSinceLast;
    private long suppressedTotal;

    /**
     * @param sink   where a line goes (e.g. {@code LOG::warn})
     * @param burst  lines written at once before limiting starts (at least 1)
     * @param refill time for one more line to be allowed
     * @param clock  nanoseconds, as {@link System#nanoTime()}
     */
    RateLimitedLog(Consumer<String> sink, int burst, Duration refill, LongSupplier clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (burst < 1 || refill.isNegative() || refill.isZero()) {
            throw new IllegalArgumentException("burst must be at least 1 and refill positive");
        }
        this.burst = burst;
        this.refillNanos = refill.toNanos();
        this.clock = clock;
        this.tokens = burst;
        this.last = clock.getAsLong();
    }

    RateLimitedLog(Consumer<String> sink, int burst, Duration refill) {
        this(sink, burst, refill, System::nanoTime);
    }

    /**
     * Writes the line ({@code {}} placeholders as in SLF4J) if the bucket allows it, else counts it.
     *
     * @return whether it was written
     */
    synchronized boolean log(String format, Object... args) {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) / refillNanos);
        last = now;
        if (tokens < 1) {
            suppressedSinceLast++;
            suppressedTotal++;
            return false;
        }
        tokens -= 1;
        String line = MessageFormatter.arrayFormat(format, args).getMessage();
        if (suppressedSinceLast > 0) {
            line += " (" + suppressedSinceLast + " similar line" + (suppressedSinceLast == 1 ? "" : "s") + " suppressed)";
            suppressedSinceLast = 0;
        }
        sink.accept(line);
        return true;
    }

    /** Lines left out so far. */
    synchronized long suppressed() {
        return suppressedTotal;
    }
}
