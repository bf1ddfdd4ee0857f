package org.autoprobe.daemon.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.PlanExecutor;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;
import org.autoprobe.core.resolve.ProbeFlags;
import org.autoprobe.daemon.generation.Generation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs module loads on a bounded pool of workers ({@code finit_module} blocks, sometimes for
 * seconds), each module once: a load already running is shared by every device that wants the
 * same module, and a finished one is remembered for its generation, so the 64th CPU's event costs
 * a map lookup. A new generation (new index or configuration) plans again; the kernel announcing
 * that a module went away ({@link #forget}) does too. A failure is logged once, with the device,
 * the MODALIAS, the module and the errno, and counted; it is remembered like a success until
 * {@link #forgetFailures()} or a new generation.
 */
public final class LoadCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(LoadCoordinator.class);
    /** udev's kmod builtin: the blacklist applies to every load, names included. */
    public static final ProbeFlags UDEV = new ProbeFlags(false, false, false, ProbeFlags.Blacklist.ALWAYS);

    private record Entry(long generation, CompletableFuture<LoadResult> future) {
    }

    private final Kernel kernel;
    private final CommandRunner commands;
    private final Consumer<LoadResult> listener;
    private final ExecutorService workers;
    private final ConcurrentHashMap<String, Entry> modules = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final LoadCounters counters = new LoadCounters();
    private final String loadedWord;
    /** Loads running outside this coordinator (the boot plan's dependencies), by module; see {@link #gate}. */
    private volatile java.util.function.Function<String, CompletableFuture<?>> elsewhere = m -> null;
    /** Told of every finished load with its times; see {@link #observe}. */
    private volatile LoadObserver observer;

    /**
     * @param workers  how many loads may run at once
     * @param listener told of every finished load (on the worker that ran it)
     */
    public LoadCoordinator(Kernel kernel, CommandRunner commands, int workers, Consumer<LoadResult> listener) {
        this(kernel, commands, pool(workers), listener);
    }

    /**
     * A coordinator whose loads run on {@code workers} (tests hand in an executor they drive
     * themselves, to control which load runs when).
     */
    LoadCoordinator(Kernel kernel, CommandRunner commands, ExecutorService workers, Consumer<LoadResult> listener) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(commands, "commands");
        // a dry run (the recording kernel) runs no install command, whatever runner it was given
        this.commands = kernel instanceof RecordingKernel ? CommandRunner.DRY_RUN : commands;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.loadedWord = kernel instanceof RecordingKernel ? "would load (dry run)" : "loaded";
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    /** {@code workers} daemon threads, each ended after 30 s without work. */
    private static ExecutorService pool(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("need at least one worker: " + workers);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "autoprobe-load-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public LoadCounters counters() {
        return counters;
    }

    /** Whether {@code module} needs no work for generation {@code generation}: its load there is finished. Allocates nothing. */
    public boolean settled(String module, long generation) {
        Entry e = modules.get(module);
        return e != null && e.generation == generation && e.future.isDone();
    }

    /** Modules whose blacklisting was said, with the generation it was said in (said once per generation). */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> blacklistSaid = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A device wanted {@code module} and the blacklist took it out (udev applies the blacklist to
     * every load): counted as {@code loads.blacklisted}, said at info once per module and generation.
     */
    public void blacklisted(String module, String devpath, long generation) {
        counters.blacklisted.increment();
        Long said = blacklistSaid.put(module, generation);
        if (said == null || said != generation) {
            LOG.info("{} is blacklisted, not loaded for {} (and any other device wanting it)", module, devpath);
        }
    }

    /** Counts a request that {@link #settled} answered. */
    public void countRemembered() {
        counters.requested.increment();
        counters.remembered.increment();
    }

    /**
     * The load of {@code request.module()}: the one running (whatever its generation: in-flight work
     * finishes on the generation it started with), the finished one of {@code generation}, or a new
     * one planned with {@code generation}'s resolver.
     */
    public CompletableFuture<LoadResult> load(LoadRequest request, Generation generation) {
        counters.requested.increment();
        Entry[] created = new Entry[1];
        Entry e = modules.compute(request.module(), (k, old) -> {
            if (old != null && (!old.future.isDone() || old.generation == generation.id())) {
                return old;
            }
            created[0] = new Entry(generation.id(), new CompletableFuture<>());
            return created[0];
        });
        if (created[0] == null) {
            (e.future.isDone() ? counters.remembered : counters.shared).increment();
            return e.future;
        }
        counters.started.increment();
        active.incrementAndGet();
        try {
            workers.execute(() -> finish(e.future, request, generation));
        } catch (RuntimeException rejected) {
            active.decrementAndGet();
            modules.remove(request.module(), e);
            e.future.completeExceptionally(rejected);
        }
        return e.future;
    }

    private void finish(CompletableFuture<LoadResult> future, LoadRequest request, Generation generation) {
        long started = System.nanoTime();
        LoadResult r;
        try {
            r = run(request, generation);
        } catch (RuntimeException | Error t) {
            LOG.error("load of {} failed unexpectedly", request.describe(), t);
            r = new LoadResult(request, LoadResult.Status.FAILED, Errno.EINVAL, "internal error: " + t, List.of(),
                    generation.id());
        }
        counters.count(r.status());
        observed(r, started);
        log(r);
        try {
            listener.accept(r);
        } catch (RuntimeException t) {
            LOG.error("load listener failed for {}", request.describe(), t);
        }
        active.decrementAndGet();
        future.complete(r);
    }

    /** Tells the {@link #observe observer}, if any, of a load that ran from {@code startNanos} until now. */
    private void observed(LoadResult r, long startNanos) {
        LoadObserver o = observer;
        if (o != null) {
            try {
                o.ended(r, startNanos, System.nanoTime());
            } catch (RuntimeException t) {
                LOG.error("load observer failed for {}", r.request().describe(), t);
            }
        }
    }

    /** Tells {@code o} of every load that ends from now on, with its times (null: nobody). */
    public void observe(LoadObserver o) {
        this.observer = o;
    }

    /** Plans with the generation's resolver and runs the plan. */
    LoadResult run(LoadRequest request, Generation generation) {
        LoadPlan plan = null;
        for (LoadPlan p : generation.resolver().resolver().plan(request.target(), UDEV, null)) {
            if (p.target().name().equals(request.module())) {
                plan = p;
                break;
            }
        }
        long gen = generation.id();
        if (plan == null) {
            return new LoadResult(request, LoadResult.Status.NOT_FOUND, null, "", List.of(), gen);
        }
        switch (plan.outcome()) {
            case ALREADY_LOADED, ALREADY_LOADED_ERROR:
                return new LoadResult(request, LoadResult.Status.ALREADY_LOADED, null, "", List.of(), gen);
            case BLACKLISTED:
                return new LoadResult(request, LoadResult.Status.BLACKLISTED, null, "", List.of(), gen);
            case LOAD:
            default:
                break;
        }
        awaitElsewhere(plan);
        List<String> steps = new ArrayList<>();
        StringBuilder detail = new StringBuilder();
        boolean[] inserted = {false};
        PlanExecutor executor = new PlanExecutor(kernel, commands, InsertFlags.NONE, new PlanExecutor.Listener() {
            @Override
            public void action(LoadStep step) {
                step.showDependsLine().ifPresent(steps::add);
                if (step.kind() == LoadStep.Kind.INSMOD || step.kind() == LoadStep.Kind.INSTALL) {
                    inserted[0] = true;
                }
            }

            @Override
            public void message(int priority, String text) {
                if (priority <= ToolLog.LOG_ERR && detail.length() == 0) {
                    detail.append(text);
                }
            }

            @Override
            public void refused(LoadStep step, SyscallException e) {
                if (step.required()) {
                    detail.setLength(0);
                    detail.append(e.getMessage());
                }
            }
        });
        PlanExecutor.Outcome o = executor.run(plan, false);
        if (!o.ok()) {
            String text = detail.length() > 0 ? detail.toString() : o.errno().toString();
            return new LoadResult(request, LoadResult.Status.FAILED, o.errno(), text, steps, gen);
        }
        return new LoadResult(request, inserted[0] ? LoadResult.Status.LOADED : LoadResult.Status.ALREADY_LOADED,
                null, "", steps, gen);
    }

    /** Waits for the loads running outside the coordinator of the modules this plan inserts. */
    private void awaitElsewhere(LoadPlan plan) {
        java.util.function.Function<String, CompletableFuture<?>> running = elsewhere;
        for (LoadStep step : plan.steps()) {
            if (step.kind() != LoadStep.Kind.INSMOD) {
                continue;
            }
            CompletableFuture<?> f = running.apply(step.module());
            if (f != null) {
                try {
                    f.join();
                } catch (RuntimeException ignored) {
                    // its end is all that matters: the step asks the kernel again right before
                }
            }
        }
    }

    private void log(LoadResult r) {
        LoadRequest q = r.request();
        switch (r.status()) {
            case LOADED -> LOG.info("{} {}", loadedWord, q.describe());
            case ALREADY_LOADED -> LOG.info("{} already in the kernel, wanted by {}", q.module(), q.devpath());
            case BLACKLISTED -> LOG.info("{} is blacklisted, not loaded for {}", q.module(), q.devpath());
            case NOT_FOUND -> LOG.info("{} no longer found for {} (index changed)", q.module(), q.devpath());
            // ENODEV from the module's init: the driver found nothing it drives (a CPU feature or a
            // board its alias matched but its probe refused). Not a fault: udevd says it at debug level
            // (notice when asked to be verbose); said here at info, without the device's whole modalias.
            case FAILED -> {
                if (Errno.ENODEV.equals(r.errno())) {
                    LOG.info("{} refused to load for {}: no device it drives [ENODEV]", q.module(), q.devpath());
                } else {
                    LOG.warn("cannot load {} for {} (modalias {}): {} [{}]", q.module(), q.devpath(),
                            q.modalias() == null ? "-" : org.autoprobe.core.text.Abbrev.line(q.modalias()), r.detail(),
                            r.errno() == null ? "?" : r.errno().name());
                }
            }
            default -> throw new IllegalStateException(r.status().name());
        }
    }

    /**
     * Takes on a load that the caller runs itself (the boot plan): registers {@code request.module()}
     * as running for {@code generation}, so that devices wanting it share it. Null when the module
     * has an entry already (running, or finished in that generation): the caller must not load it.
     * A claimed load counts as {@linkplain #active() active} until {@link #complete}.
     */
    public CompletableFuture<LoadResult> claim(LoadRequest request, long generation) {
        Entry[] created = new Entry[1];
        modules.compute(request.module(), (k, old) -> {
            if (old != null && (!old.future.isDone() || old.generation == generation)) {
                return old;
            }
            created[0] = new Entry(generation, new CompletableFuture<>());
            return created[0];
        });
        if (created[0] == null) {
            return null;
        }
        counters.requested.increment();
        counters.started.increment();
        active.incrementAndGet();
        return created[0].future;
    }

    /** The load of {@code module} that is running or remembered, or null. */
    public CompletableFuture<LoadResult> current(String module) {
        Entry e = modules.get(module);
        return e == null ? null : e.future;
    }

    /** Ends a {@linkplain #claim claimed} load: counted, logged and told as the coordinator's own. */
    public void complete(CompletableFuture<LoadResult> claimed, LoadResult r) {
        complete(claimed, r, System.nanoTime());
    }

    /**
     * Ends a {@linkplain #claim claimed} load that began to run at {@code startNanos}
     * ({@link System#nanoTime()}): counted, timed, logged and told as the coordinator's own.
     */
    public void complete(CompletableFuture<LoadResult> claimed, LoadResult r, long startNanos) {
        counters.count(r.status());
        observed(r, startNanos);
        log(r);
        try {
            listener.accept(r);
        } catch (RuntimeException t) {
            LOG.error("load listener failed for {}", r.request().describe(), t);
        }
        active.decrementAndGet();
        claimed.complete(r);
    }

    /**
     * Counts the loads remembered for generation {@code from} as {@code to}'s (the boot plan's loads,
     * once the first generation has been found to be built from the same files).
     */
    public void retag(long from, long to) {
        modules.replaceAll((k, e) -> e.generation == from ? new Entry(to, e.future) : e);
    }

    /**
     * Tells the coordinator of loads running outside it: before a plan inserts a module, it waits
     * for {@code running.apply(module)} when that is not null, so that no module is inserted twice
     * at once (the boot plan's dependencies). The function must be cheap and must never wait.
     */
    public void gate(java.util.function.Function<String, CompletableFuture<?>> running) {
        this.elsewhere = Objects.requireNonNull(running, "running");
    }

    /** The kernel announced that {@code module} went away: the next device that wants it loads it again. */
    public void forget(String module) {
        Entry e = modules.get(module);
        if (e != null && e.future.isDone()) {
            modules.remove(module, e);
        }
    }

    /** Forgets every failed load (an explicit coldplug retries them). */
    public void forgetFailures() {
        modules.entrySet().removeIf(en -> {
            CompletableFuture<LoadResult> f = en.getValue().future;
            return f.isDone() && (f.isCompletedExceptionally() || !f.join().ok());
        });
    }

    /**
     * Forgets every finished load, successful or not (after lost events: a module may have gone
     * away unannounced); loads in flight stay shared.
     */
    public void forgetSettled() {
        modules.entrySet().removeIf(en -> en.getValue().future.isDone());
    }

    /** Loads queued or running. */
    public int active() {
        return active.get();
    }

    /** The last finished load of each module, by name (for {@code explain} and {@code status}). */
    public Map<String, LoadResult> finished() {
        Map<String, LoadResult> out = new TreeMap<>();
        for (Map.Entry<String, Entry> en : modules.entrySet()) {
            CompletableFuture<LoadResult> f = en.getValue().future;
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.put(en.getKey(), f.join());
            }
        }
        return out;
    }

    /**
     * Stops taking loads and waits up to {@code wait} for the running ones to finish.
     *
     * @return whether all finished in time
     */
    public boolean shutdown(Duration wait) throws InterruptedException {
        workers.shutdown();
        return workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
