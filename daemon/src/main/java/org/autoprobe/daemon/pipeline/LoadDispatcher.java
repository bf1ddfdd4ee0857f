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
 */
final class LoadDispatcher implements EventHandler<RingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(LoadDispatcher.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final LoadCoordinator coordinator;
    private final PipelineCounters counters;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile DecisionListener listener;

    LoadDispatcher(LoadCoordinator coordinator, PipelineCounters counters) {
        this.coordinator = coordinator;
        this.counters = counters;
    }

    void listen(DecisionListener l) {
        this.listener = l;
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
        int n = ev.modules.size();
        if (n == 0) {
            return;
        }
        Generation g = ev.generation;
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
            work.add(new LoadRequest(module, ev.targets.get(i), ev.devpath, ev.modalias));
        }
        if (work != null) {
            counters.wanting.increment();
            submit(ev.devpath, work, g);
        }
    }

    private void submit(String devpath, List<LoadRequest> work, Generation g) {
        pending.incrementAndGet();
        CompletableFuture<Void> prev = tails.get(devpath);
        CompletableFuture<Void> tail = (prev == null ? DONE : prev).thenCompose(v -> startAll(work, g))
                .handle((v, t) -> {
                    if (t != null) {
                        LOG.error("loads for {} failed unexpectedly", devpath, t);
                    }
                    pending.decrementAndGet();
                    return null;
                });
        tails.put(devpath, tail);
        tail.whenComplete((v, t) -> tails.remove(devpath, tail));
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
