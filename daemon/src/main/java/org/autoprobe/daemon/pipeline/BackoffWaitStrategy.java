package org.autoprobe.daemon.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * How the consumer waits for the next event: a few spins (an event already on its way arrives
 * within them), then {@link Thread#yield()} until {@code yieldNanos} have passed (the producer may
 * need this very core: on a busy 2-core machine the two often share one), then asleep on a lock
 * until a producer publishes ({@link BlockingWaitStrategy}: a wake-up is never lost). A storm
 * keeps the consumer awake, so the per-event cost is the producer's uncontended lock and
 * {@code notifyAll}; an idle daemon sleeps and burns no CPU.
 *
 * <p>Unlike Disruptor's {@code PhasedBackoffWaitStrategy}, which busy-spins ten thousand times
 * before it first looks at the clock, this one hands the core over almost at once, which is what
 * a producer sharing the core needs.
 */
final class BackoffWaitStrategy implements WaitStrategy {
    private static final int SPINS = 100;

    private final long yieldNanos;
    private final BlockingWaitStrategy sleep = new BlockingWaitStrategy();

    BackoffWaitStrategy(long yieldNanos) {
        this.yieldNanos = yieldNanos;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available;
        int spins = SPINS;
        long start = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (spins > 0) {
                spins--;
                Thread.onSpinWait();
            } else {
                long now = System.nanoTime();
                if (start == 0) {
                    start = now;
                } else if (now - start > yieldNanos) {
                    return sleep.waitFor(sequence, cursor, dependentSequence, barrier);
                }
                Thread.yield();
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        sleep.signalAllWhenBlocking();
    }

    @Override
    public String toString() {
        return "BackoffWaitStrategy{spins=" + SPINS + ", yieldNanos=" + yieldNanos + ", then " + sleep + "}";
    }
}
