package org.autoprobe.daemon.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.UeventParser;

/**
 * The event pipeline: producers (the socket reader, a coldplug walk) publish uevents into a
 * preallocated Disruptor ring; one consumer thread takes each event through the rules stage
 * (which modules it wants) and then the load dispatcher (which hands them to the
 * {@link LoadCoordinator}'s workers, never waiting for a load). Both stages are short and never
 * block, so they share a thread: on a small machine a thread per stage only adds a hand-off and
 * a thread competing for the cores. A stage that throws marks the event failed and goes on.
 */
public final class UeventPipeline {
    /**
     * Ring entries. A full ring makes producers wait (the socket buffer holds the rest); the
     * consumer empties it in well under a millisecond. Larger rings are slower, not faster: each
     * entry is a few kB, and past about a thousand of them the entries a storm cycles through no
     * longer stay in the caches (on a 2-core EPYC: ~3 million events/s with 1024, ~1.9 million
     * with 2048, ~0.8 million with 65536). The daemon's default is 512 (memory: the idle daemon's
     * resident set, docs/PERFORMANCE.md), and so is this, so the benchmarks measure what runs.
     */
    public static final int DEFAULT_RING_SIZE = 512;
    /** How long the idle consumer yields before it sleeps. */
    static final long YIELD_NANOS = 1_000_000;

    private final Disruptor<RingEvent> disruptor;
    private final RingBuffer<RingEvent> ring;
    private final RulesStage rules;
    private final LoadDispatcher dispatcher;
    /** Rules then dispatch, on the one consumer thread; a throw in the rules skips the dispatch. */
    private final EventHandler<RingEvent> consumer;
    private final LoadCoordinator coordinator;
    private final PipelineCounters counters = new PipelineCounters();

    /** A pipeline whose consumer sleeps while idle (what the daemon wants): see {@link #defaultWaitStrategy()}. */
    public UeventPipeline(Supplier<Generation> generations, LoadCoordinator coordinator) {
        this(generations, coordinator, DEFAULT_RING_SIZE, defaultWaitStrategy());
    }

    /**
     * How the consumer waits for events ({@link BackoffWaitStrategy}): it spins a hundred times,
     * then yields the CPU until 1 ms has passed, then sleeps on a lock until a producer wakes it.
     * A storm finds it awake (no sleeping and waking per event); an idle daemon burns no CPU. The
     * price is a lock taken and released, uncontended, per publish.
     */
    public static WaitStrategy defaultWaitStrategy() {
        return new BackoffWaitStrategy(YIELD_NANOS);
    }

    /**
     * @param generations the current generation, read once per event
     * @param ringSize    a power of two
     * @param wait        how the idle consumer waits ({@link #defaultWaitStrategy()} unless measuring others)
     */
    public UeventPipeline(Supplier<Generation> generations, LoadCoordinator coordinator, int ringSize,
                          WaitStrategy wait) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "autoprobe-events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        disruptor = new Disruptor<>(RingEvent::new, ringSize, threads, ProducerType.MULTI, wait);
        disruptor.setDefaultExceptionHandler(new StageExceptionHandler(counters));
        rules = new RulesStage(Objects.requireNonNull(generations, "generations"));
        dispatcher = new LoadDispatcher(coordinator, counters);
        consumer = (ev, sequence, endOfBatch) -> {
            rules.onEvent(ev, sequence, endOfBatch);
            dispatcher.onEvent(ev, sequence, endOfBatch);
        };
        disruptor.handleEventsWith(consumer);
        ring = disruptor.getRingBuffer();
    }

    /**
     * Tells {@code listener} of every uevent's decisions (on the dispatcher thread, before its loads
     * start), after the listeners given before.
     */
    public UeventPipeline listen(DecisionListener listener) {
        dispatcher.listen(listener);
        return this;
    }

    /**
     * Whether the rules' sysfs reads for coldplug events are noted in {@link RingEvent#reads()}
     * (the boot plan records the start's coldplug; off otherwise, as it allocates).
     */
    public void recordColdplugReads(boolean on) {
        rules.recordColdplugReads = on;
    }

    public UeventPipeline start() {
        disruptor.start();
        return this;
    }

    public PipelineCounters counters() {
        return counters;
    }

    LoadCoordinator coordinator() {
        return coordinator;
    }

    /**
     * Publishes one uevent in the kernel's wire format ({@code ACTION@DEVPATH\0KEY=VALUE\0...}),
     * copied into the next ring entry. Safe from any number of producer threads; waits while the
     * ring is full. Allocates nothing.
     *
     * @return whether it parsed as a uevent (a malformed one is counted and skipped by the stages)
     */
    public boolean publish(byte[] message, int off, int len, Origin origin) {
        long seq = ring.next();
        boolean ok;
        try {
            RingEvent ev = ring.get(seq);
            ev.origin = origin;
            ev.announced = System.nanoTime();
            ok = UeventParser.parse(message, off, len, ev.slot) == ReceiveOutcome.EVENT;
        } finally {
            ring.publish(seq);
        }
        counters.count(origin);
        if (!ok) {
            counters.malformed.increment();
        }
        return ok;
    }

    /** Events whose loads are waiting or running, in their device's order (at most {@link LoadDispatcher#MAX_WAITING}). */
    int waitingEvents() {
        return dispatcher.pending();
    }

    /** Whether every published event went through both stages and every load they started has finished. */
    public boolean idle() {
        long cursor = ring.getCursor();
        return disruptor.getSequenceValueFor(consumer) >= cursor && dispatcher.pending() == 0
                && coordinator.active() == 0;
    }

    /**
     * Waits until {@link #idle()} holds (twice in a row, a little apart, so a load that publishes
     * child events is waited for too).
     *
     * @return whether it did within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int calm = 0;
        while (System.nanoTime() < deadline) {
            if (idle()) {
                if (++calm >= 2) {
                    return true;
                }
            } else {
                calm = 0;
            }
            Thread.sleep(5);
        }
        return idle();
    }

    /**
     * Stops: lets the stages drain what is in the ring (at most {@code wait}), then halts them.
     * Loads already handed out keep running; stop the coordinator after this.
     *
     * @return whether the ring drained in time
     */
    public boolean shutdown(Duration wait) {
        try {
            disruptor.shutdown(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            disruptor.halt();
            return false;
        }
    }
}
