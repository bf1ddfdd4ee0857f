package org.autoprobe.daemon.pipeline;

import com.lmax.disruptor.ExceptionHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A stage that throws on an event: the event is marked failed, counted and logged; the stage goes on. */
final class StageExceptionHandler implements ExceptionHandler<RingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(StageExceptionHandler.class);

    private final PipelineCounters counters;

    StageExceptionHandler(PipelineCounters counters) {
        this.counters = counters;
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, RingEvent event) {
        if (event != null && !event.failed) {
            event.failed = true;
            counters.failed.increment();
            LOG.error("event {} failed: {}", event, ex.toString(), ex);
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
