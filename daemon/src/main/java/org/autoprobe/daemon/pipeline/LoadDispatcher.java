package org.autoprobe.daemon.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.lmax.disruptor.EventHandler;

import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Second stage: hands the modules an event wants to the {@link LoadCoordinator}, never waiting
 * for a load. Modules already settled in the event's generation cost a lookup. The loads of one
 * device path run in event order: an event's loads start when the previous event of that path
 * has finished its own; other paths go on in parallel.
 *
 * <p>Bounded: while {@link #MAX_WAITING} events wait for their loads (a load that hangs in
 * {@code finit_module} while a storm of devices wants it), further events neither wait nor queue:
 * their loads are started or joined at once, out of their device's order, and counted
 * ({@code events.unordered}); nothing is kept per event. One warning per such episode: it ends
 * when the backlog has halved.
 */
final class LoadDispatcher implements EventHandler<RingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(LoadDispatcher.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** Events that may wait for their loads, in per-path order, at once. */
    static final int MAX_WAITING = 4096;

    private final LoadCoordinator coordinator;
    private final PipelineCounters counters;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final int maxWaiting;
    /** Whether the backlog is full (set by the dispatcher, cleared by the load that halves it). */
    private volatile boolean overflowing;
    private volatile DecisionListener listener;

    LoadDispatcher(LoadCoordinator coordinator, PipelineCounters counters) {
        this(coordinator, counters, MAX_WAITING);
    }

    LoadDispatcher(LoadCoordinator coordinator, PipelineCounters counters, int maxWaiting) {
        this.coordinator = coordinator;
        this.counters = counters;
        this.maxWaiting = maxWaiting;
    }

    /** Adds {@code l} after the listeners given before. */
    void listen(DecisionListener l) {
        DecisionListener before = listener;
        this.listener = before == null ? l : ev -> {
            before.decided(ev);
            l.decided(ev);
        };
    }

    @Override
    public void onEvent(RingEvent ev, long sequence, boolean endOfBatch) {
        if (ev.failed || ev.generation == null) {
            return;
        }
        DecisionListener l = listener;
        if (l != null) {
            l.decided(ev);
        }
        if (ev.removedModule != null) {
            counters.moduleRemovals.increment();
            coordinator.forget(ev.removedModule);
            return;
        }
        Generation g = ev.generation;
        for (int i = 0, b = ev.blacklisted.size(); i < b; i++) {
            coordinator.blacklisted(ev.blacklisted.get(i), ev.devpath, g.id());
        }
        int n = ev.modules.size();
        if (n == 0) {
            return;
        }
        List<LoadRequest> work = null;
        for (int i = 0; i < n; i++) {
            String module = ev.modules.get(i);
            if (coordinator.settled(module, g.id())) {
                coordinator.countRemembered();
                continue;
            }
            if (work == null) {
                work = new ArrayList<>(n);
            }
            work.add(new LoadRequest(module, ev.targets.get(i), ev.devpath, ev.modalias, ev.origin.event));
        }
        if (work != null) {
            counters.wanting.increment();
            submit(ev.devpath, work, g);
        }
    }

    private void submit(String devpath, List<LoadRequest> work, Generation g) {
        if (pending.get() >= maxWaiting) {
            unordered(work, g);
            return;
        }
        pending.incrementAndGet();
        CompletableFuture<Void> prev = tails.get(devpath);
        CompletableFuture<Void> tail = (prev == null ? DONE : prev).thenCompose(v -> startAll(work, g))
                .handle((v, t) -> {
                    if (t != null) {
                        LOG.error("loads for {} failed unexpectedly", devpath, t);
                    }
                    if (pending.decrementAndGet() <= maxWaiting / 2) {
                        overflowing = false;
                    }
                    return null;
                });
        tails.put(devpath, tail);
        tail.whenComplete((v, t) -> tails.remove(devpath, tail));
    }

    /** The backlog is full: starts or joins the loads at once and keeps nothing of the event. */
    private void unordered(List<LoadRequest> work, Generation g) {
        counters.unordered.increment();
        if (!overflowing) {
            overflowing = true;
            LOG.warn("{} events are waiting for their loads (a load hangs, or a storm of devices): until half of"
                    + " them are done, new events start their loads at once, out of their device's order",
                    maxWaiting);
        }
        for (int i = 0, n = work.size(); i < n; i++) {
            coordinator.load(work.get(i), g);
        }
    }

    private CompletableFuture<Void> startAll(List<LoadRequest> work, Generation g) {
        CompletableFuture<?>[] loads = new CompletableFuture<?>[work.size()];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = coordinator.load(work.get(i), g);
        }
        return CompletableFuture.allOf(loads);
    }

    /** Events whose loads are waiting or running. */
    int pending() {
        return pending.get();
    }
}
