package org.autoprobe.daemon.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the load side did, readable from any thread. */
public final class LoadCounters {
    /** Modules wanted by events (one per module per event). */
    public final LongAdder requested = new LongAdder();
    /** Requests answered by a finished load of the same generation (nothing run). */
    public final LongAdder remembered = new LongAdder();
    /** Requests that joined a load already running for another device. */
    public final LongAdder shared = new LongAdder();
    /** Loads actually run. */
    public final LongAdder started = new LongAdder();
    public final LongAdder loaded = new LongAdder();
    final LongAdder alreadyLoaded = new LongAdder();
    public final LongAdder blacklisted = new LongAdder();
    final LongAdder notFound = new LongAdder();
    public final LongAdder failed = new LongAdder();

    void count(LoadResult.Status s) {
        switch (s) {
            case LOADED -> loaded.increment();
            case ALREADY_LOADED -> alreadyLoaded.increment();
            case BLACKLISTED -> blacklisted.increment();
            case NOT_FOUND -> notFound.increment();
            case FAILED -> failed.increment();
            default -> throw new IllegalArgumentException(s.name());
        }
    }

    /** Name to value, in a fixed order (for {@code autoprobe status}). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("loads.requested", requested.sum());
        m.put("loads.remembered", remembered.sum());
        m.put("loads.shared", shared.sum());
        m.put("loads.started", started.sum());
        m.put("loads.loaded", loaded.sum());
        m.put("loads.already_loaded", alreadyLoaded.sum());
        m.put("loads.blacklisted", blacklisted.sum());
        m.put("loads.not_found", notFound.sum());
        m.put("loads.failed", failed.sum());
        return m;
    }
}
