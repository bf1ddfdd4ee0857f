package org.autoprobe.daemon.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadHistogramTest {
    @Test
    void eachLoadCountsInTheFirstBucketWhoseBoundHoldsIt() {
        LoadHistogram h = new LoadHistogram();
        h.observe(-5);                  // a clock that went back: 0
        h.observe(10_000_000L);         // = 10 ms
        h.observe(10_000_001L);         // just over: 25 ms bucket
        h.observe(30_000_000_000L);     // = 30 s
        h.observe(30_000_000_001L);     // over every bound
        LoadHistogram.Snapshot s = h.snapshot();
        assertArrayEquals(new long[] {2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, s.counts());
        assertEquals(5, s.count());
        assertEquals((10_000_000L + 10_000_001L + 30_000_000_000L + 30_000_000_001L) / 1e9, s.sum(), 1e-9);
        assertEquals(0.01, s.bounds()[0]);
        assertEquals(30, s.bounds()[s.bounds().length - 1]);
    }
}
