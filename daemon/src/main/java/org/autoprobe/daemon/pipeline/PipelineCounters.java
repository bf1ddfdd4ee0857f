package org.autoprobe.daemon.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What went through the ring, readable from any thread. */
public final class PipelineCounters {
    final LongAdder kernel = new LongAdder();
    final LongAdder coldplug = new LongAdder();
    final LongAdder replay = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder wanting = new LongAdder();
    final LongAdder moduleRemovals = new LongAdder();
    /** Events whose loads started out of their device's order because too many events were waiting. */
    final LongAdder unordered = new LongAdder();
    /** Failed events whose log line was left out (rate limit); all are counted in {@link #failed}. */
    final LongAdder failedUnlogged = new LongAdder();

    void count(Origin o) {
        switch (o) {
            case KERNEL -> kernel.increment();
            case COLDPLUG -> coldplug.increment();
            case REPLAY -> replay.increment();
            default -> throw new IllegalArgumentException(o.name());
        }
    }

    /** Events whose handling threw in a stage (each logged). */
    long failed() {
        return failed.sum();
    }

    /** Events published, by origin. */
    long published(Origin o) {
        return switch (o) {
            case KERNEL -> kernel.sum();
            case COLDPLUG -> coldplug.sum();
            case REPLAY -> replay.sum();
        };
    }

    /** Events whose loads started at once, out of their device's order, because the backlog was full. */
    long unordered() {
        return unordered.sum();
    }

    /** Failed events not logged (past the rate limit). */
    long failedUnlogged() {
        return failedUnlogged.sum();
    }

    /** Events that wanted at least one module not yet settled. */
    long wanting() {
        return wanting.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("events.kernel", kernel.sum());
        m.put("events.coldplug", coldplug.sum());
        m.put("events.replay", replay.sum());
        m.put("events.malformed", malformed.sum());
        m.put("events.failed", failed.sum());
        m.put("events.wanting_loads", wanting.sum());
        m.put("events.module_removals", moduleRemovals.sum());
        m.put("events.unordered", unordered.sum());
        m.put("events.failed_unlogged", failedUnlogged.sum());
        return m;
    }
}
