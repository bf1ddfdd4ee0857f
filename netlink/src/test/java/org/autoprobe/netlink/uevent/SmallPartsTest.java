package org.autoprobe.netlink.uevent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SmallPartsTest {
    @Test
    void seqnumTracker() {
        SeqnumTracker t = new SeqnumTracker();
        assertEquals(0, t.observe(500), "the first number has nothing to follow");
        assertEquals(0, t.observe(501));
        assertEquals(9, t.observe(511));
        assertEquals(0, t.observe(505), "backwards is not a gap");
        assertEquals(1, t.backwards());
        assertEquals(511, t.last());
        assertEquals(0, t.observe(512));
        assertEquals(1, t.gaps());
        assertEquals(9, t.missed());
        t.reset();
        assertEquals(0, t.observe(9000));
        assertEquals(1, t.gaps());
    }

    @Test
    void logLimiterLetsABurstThroughPerIntervalAndSaysWhatItHeldBack() {
        LogLimiter l = new LogLimiter(2, 100);
        assertEquals(0, l.acquire(0));
        assertEquals(0, l.acquire(10));
        assertEquals(-1, l.acquire(20));
        assertEquals(-1, l.acquire(99));
        assertEquals(2, l.acquire(100), "the next window mentions the two held back");
        assertEquals(0, l.acquire(101));
        assertEquals(-1, l.acquire(150));
        assertThrows(IllegalArgumentException.class, () -> new LogLimiter(0, 1));
    }

    @Test
    void senderVerdictIgnoresUidWithoutCredentials() {
        assertEquals(SenderVerdict.NO_CREDENTIALS, SenderVerdict.judge(0, 1, false, 0));
        assertEquals(SenderVerdict.KERNEL, SenderVerdict.judge(0, 1, true, 0));
        assertEquals(SenderVerdict.NOT_ROOT, SenderVerdict.judge(0, 1, true, -1));
    }
}
