package org.autoprobe.daemon.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.autoprobe.daemon.load.LoadRequest;
import org.autoprobe.daemon.load.LoadResult;
import org.junit.jupiter.api.Test;

class TimelineRecorderTest {
    private static LoadResult result(String module, LoadResult.Status status) {
        return new LoadResult(new LoadRequest(module, "a", "/devices/d/" + module, "a", "coldplug"), status,
                status == LoadResult.Status.FAILED ? org.autoprobe.core.errno.Errno.ENODEV : null,
                status == LoadResult.Status.FAILED ? "no device" : "", List.of(), 1);
    }

    @Test
    void keepsAtMostItsBoundAndCountsTheRest() {
        TimelineRecorder r = TimelineRecorder.begin("t", 2, 2);
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            r.ended(result("m" + i, LoadResult.Status.LOADED), t0 + i, t0 + i + 10);
        }
        Timeline t = r.snapshot();
        assertEquals(List.of("m0", "m1"), t.loads().stream().map(Timeline.Load::module).toList());
        assertEquals(3, t.droppedLoads());
        assertEquals(Timeline.Origin.COLDPLUG_BEGIN, t.origin());
        assertEquals(-1, t.end());
        assertEquals(10, t.loads().get(0).end() - t.loads().get(0).start());
    }

    @Test
    void nothingIsKeptAfterTheEnd() {
        TimelineRecorder r = TimelineRecorder.begin("t", 8, 8);
        long t0 = System.nanoTime();
        r.ended(result("before", LoadResult.Status.FAILED), t0, t0 + 5);
        assertTrue(r.recording());
        r.end();
        assertFalse(r.recording());
        r.ended(result("after", LoadResult.Status.LOADED), t0, t0 + 5);
        Timeline t = r.snapshot();
        assertEquals(List.of("before"), t.loads().stream().map(Timeline.Load::module).toList());
        assertEquals("failed: ENODEV", t.loads().get(0).word());
        assertTrue(t.end() >= t.begin());
    }

    @Test
    void aDryRunsInsertIsWouldLoadAndTimesCountFromTheProcessStart() {
        TimelineRecorder r = TimelineRecorder.begin("t", true, true);
        long t0 = System.nanoTime();
        r.ended(result("m", LoadResult.Status.LOADED), t0, t0 + 5);
        Timeline t = r.snapshot();
        assertEquals("would-load", t.loads().get(0).word());
        assertEquals(Timeline.Origin.PROCESS_START, t.origin());
        // the JVM started before this recording began
        assertTrue(t.begin() > 0 && t.loads().get(0).start() >= t.begin(), t.begin() + " " + t.loads().get(0).start());
    }
}
