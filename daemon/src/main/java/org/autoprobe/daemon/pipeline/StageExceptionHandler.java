package org.autoprobe.daemon.pipeline;

import java.util.function.LongSupplier;

import com.lmax.disruptor.ExceptionHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage that throws on an event: the event is marked failed, counted and logged; the stage goes
 * on. Logging is bounded: at most {@link #BURST} failures are logged (the window's first with its
 * stack trace) per {@link #WINDOW_NANOS}; the rest are counted ({@code events.failed_unlogged}) and
 * summed up in one line when logging resumes. A broken index that makes every lookup throw thus
 * costs a few lines a minute, not one per event of a storm.
 */
final class StageExceptionHandler implements ExceptionHandler<RingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(StageExceptionHandler.class);
    static final int BURST = 10;
    static final long WINDOW_NANOS = 60_000_000_000L;

    private final PipelineCounters counters;
    private final LongSupplier clock;
    private long windowStart;
    private int logged;
    private long unlogged;
    private boolean traced;

    StageExceptionHandler(PipelineCounters counters) {
        this(counters, System::nanoTime);
    }

    StageExceptionHandler(PipelineCounters counters, LongSupplier clock) {
        this.counters = counters;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, RingEvent event) {
        if (event == null || event.failed) {
            return;
        }
        event.failed = true;
        counters.failed.increment();
        long now = clock.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            logged = 0;
            traced = false;
        }
        if (logged >= BURST) {
            unlogged++;
            counters.failedUnlogged.increment();
            return;
        }
        logged++;
        if (unlogged > 0) {
            LOG.error("{} more events failed and were not logged", unlogged);
            unlogged = 0;
        }
        if (!traced) {
            traced = true;
            LOG.error("event {} failed: {}", event, ex.toString(), ex);
        } else {
            LOG.error("event {} failed: {}", event, ex.toString());
        }
    }

    @Override
    public void handleOnStartException(Throwable ex) {
        LOG.error("pipeline stage failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
        LOG.error("pipeline stage failed to stop", ex);
    }
}
