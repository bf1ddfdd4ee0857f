package org.autoprobe.daemon.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.autoprobe.core.resolve.Reason;
import org.autoprobe.daemon.load.LoadObserver;
import org.autoprobe.daemon.load.LoadResult;

/**
 * What the daemon decided, by {@link Reason}, and how long its loads took: counted as loads end
 * and as events resolve, read by the metrics text. Counting takes no lock; a reason's counter is
 * made once, on its first use (the reasons are few: the kinds, and one per errno the kernel gives).
 */
public final class LoadMetrics implements LoadObserver {
    private final LoadHistogram durations = new LoadHistogram();
    private final ConcurrentHashMap<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final boolean dryRun;

    /** @param dryRun whether loads are only recorded: a load that would insert is {@code would-load} */
    public LoadMetrics(boolean dryRun) {
        this.dryRun = dryRun;
        // the reasons every daemon can give, at 0 from the start (a rate needs the series before its first count)
        for (Reason r : new Reason[] {Reason.NO_MATCH, Reason.BLACKLISTED, Reason.ALIAS_TO_MISSING,
                Reason.INSTALL_COMMAND, dryRun ? Reason.WOULD_LOAD : Reason.LOADED}) {
            decisions.put(r.word(), new LongAdder());
        }
    }

    @Override
    public void ended(LoadResult r, long startNanos, long endNanos) {
        durations.observe(endNanos - startNanos);
        decided(reason(r, dryRun));
        if (r.status() == LoadResult.Status.FAILED) {
            String errno = r.errno() == null ? "unknown" : r.errno().name();
            failures.computeIfAbsent(errno, k -> new LongAdder()).increment();
        }
    }

    /** Counts {@code n} decisions for {@code r} (the pipeline's {@code no-match} targets, say). */
    public void decided(Reason r, int n) {
        if (n > 0) {
            decisions.computeIfAbsent(r.word(), k -> new LongAdder()).add(n);
        }
    }

    private void decided(Reason r) {
        decided(r, 1);
    }

    /**
     * The reason a finished load stands for: {@code loaded} (inserted, or found in the kernel; a dry
     * run's insert {@code would-load}), {@code install-command} (an install line ran instead of the module's insert),
     * {@code blacklisted}, {@code alias-to-missing} (the index no longer has the module the
     * resolution named), {@code failed:ERRNO}.
     */
    static Reason reason(LoadResult r, boolean dryRun) {
        return switch (r.status()) {
            case LOADED -> !r.steps().isEmpty() && r.steps().get(r.steps().size() - 1).startsWith("install ")
                    ? Reason.INSTALL_COMMAND
                    : dryRun ? Reason.WOULD_LOAD : Reason.LOADED;
            case ALREADY_LOADED -> Reason.LOADED;
            case BLACKLISTED -> Reason.BLACKLISTED;
            case NOT_FOUND -> Reason.ALIAS_TO_MISSING;
            case FAILED -> Reason.failed(r.errno() == null ? org.autoprobe.core.errno.Errno.EINVAL : r.errno());
        };
    }

    /** Decisions by reason word, sorted. */
    public Map<String, Long> decisions() {
        return sums(decisions);
    }

    /** Failed loads by errno name, sorted. */
    public Map<String, Long> failures() {
        return sums(failures);
    }

    public LoadHistogram.Snapshot durations() {
        return durations.snapshot();
    }

    private static Map<String, Long> sums(ConcurrentHashMap<String, LongAdder> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        new TreeMap<>(m).forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
