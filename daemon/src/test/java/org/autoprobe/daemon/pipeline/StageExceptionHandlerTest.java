package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class StageExceptionHandlerTest {
    @Test
    void everyFailureIsCountedButOnlyABurstPerWindowIsLogged() {
        PipelineCounters counters = new PipelineCounters();
        AtomicLong now = new AtomicLong(1_000);
        StageExceptionHandler h = new StageExceptionHandler(counters, now::get);
        RuntimeException boom = new IllegalStateException("index exploded");
        for (int i = 0; i < 1000; i++) {
            h.handleEventException(boom, i, new RingEvent());
        }
        assertEquals(1000, counters.failed());
        assertEquals(1000 - StageExceptionHandler.BURST, counters.failedUnlogged());
        // the same event failing in a later stage counts once
        RingEvent once = new RingEvent();
        h.handleEventException(boom, 0, once);
        h.handleEventException(boom, 0, once);
        assertEquals(1001, counters.failed());
        // a new window logs again
        now.addAndGet(StageExceptionHandler.WINDOW_NANOS);
        for (int i = 0; i < 1000; i++) {
            h.handleEventException(boom, i, new RingEvent());
        }
        assertEquals(2001, counters.failed());
        assertEquals(2001 - 2 * StageExceptionHandler.BURST, counters.failedUnlogged());
        assertTrue(counters.snapshot().get("events.failed_unlogged") > 0);
    }
}
