package org.autoprobe.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    @Test
    void aBurstThenOneLinePerRefillAndTheNextLineCountsWhatWasLeftOut() {
        AtomicLong now = new AtomicLong(1_000);
        List<String> lines = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(lines::add, 3, Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 1000; i++) {
            log.log("bad request {} from {}", i, "uid 4242");
        }
        assertEquals(List.of("bad request 0 from uid 4242", "bad request 1 from uid 4242", "bad request 2 from uid 4242"), lines);
        assertEquals(997, log.suppressed());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertFalse(log.log("still too soon"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(log.log("later"));
        assertEquals("later (998 similar lines suppressed)", lines.get(3));
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 5; i++) {
            log.log("again {}", i);
        }
        assertEquals(List.of("again 0", "again 1", "again 2"), lines.subList(4, 7), "the bucket holds at most the burst");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        log.log("x");
        assertEquals("x (2 similar lines suppressed)", lines.get(7));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(l -> { }, 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(l -> { }, 1, Duration.ZERO));
    }
}
