package org.autoprobe.daemon.service;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.autoprobe.daemon.generation.Generation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds new generations and swaps them in, never blocking whoever asks and never blocking a stop.
 *
 * <p>Each build runs on a thread of its own, outside every lock; one at a time. Its result is
 * swapped in under a short lock, only if its build is still the one running (not abandoned after
 * its timeout, not cancelled by a stop) and only if it is {@linkplain Generation#complete()
 * complete} or the generation in use is not either. Otherwise the generation in use stays, one
 * warning says why, and the reload is retried after 1 s, 2 s, 4 s ... (the policy's); a new
 * request (a file change, SIGHUP, {@code status reload}) retries at once. A build that takes longer
 * than the policy's timeout is abandoned: interrupted and left to end on its own thread (a blocked
 * {@code open()} cannot be interrupted), its result thrown away; while {@value #MAX_ABANDONED} such
 * builds are still alive no new one starts. systemd hears {@code RELOADING=1} when a build starts
 * and always {@code READY=1} when it ends, however it ends, unless the daemon is stopping.
 */
final class Reloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);
    /** Abandoned builds still running beyond which no new build starts (each holds a thread). */
    static final int MAX_ABANDONED = 2;

    /** One build. */
    private static final class Attempt {
        final long id;
        final String cause;
        final Instant startedAt;
        final CompletableFuture<Generation> result = new CompletableFuture<>();
        Thread thread;
        ScheduledFuture<?> timeout;

        Attempt(long id, String cause, Instant startedAt) {
            this.id = id;
            this.cause = cause;
            this.startedAt = startedAt;
        }
    }

    private final LongFunction<Generation> builder;
    private final AtomicLong ids;
    private final AtomicReference<Generation> current;
    private final DaemonOptions.Reload policy;
    private final Consumer<String[]> notify;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "autoprobe-reload-timer");
        t.setDaemon(true);
        return t;
    });
    /** Guards the fields below; never held while building, waiting or telling systemd. */
    private final Object lock = new Object();
    /** Held while telling systemd, so that nothing is told once {@link #close} returned. */
    private final Object notifyLock = new Object();
    private Attempt running;
    /** A request came while a build ran: it may have read the files before they changed. */
    private boolean again;
    private ScheduledFuture<?> retry;
    private Instant retryAt;
    private Duration backoff;
    private volatile boolean closed;
    private final List<Attempt> abandoned = new ArrayList<>();
    private long succeeded;
    private long failed;
    private String lastFailure;
    private Instant lastFailureAt;

    /**
     * @param builder builds generation number N (may block, may throw)
     * @param ids     the generation numbers handed out so far
     * @param current the generation in use, swapped here
     * @param notify  tells systemd ({@code RELOADING=1}, {@code READY=1}, {@code STATUS=...})
     */
    Reloader(LongFunction<Generation> builder, AtomicLong ids, AtomicReference<Generation> current,
             DaemonOptions.Reload policy, Consumer<String[]> notify, Clock clock) {
        this.builder = Objects.requireNonNull(builder, "builder");
        this.ids = ids;
        this.current = current;
        this.policy = policy;
        this.notify = notify;
        this.clock = clock;
        this.backoff = policy.firstRetry();
    }

    /**
     * Builds the first generation and puts it in use, complete or not: there is nothing better. It
     * is waited for however long it takes (one warning after the reload timeout): with no generation
     * the daemon can decide nothing, so giving up would only end it, and the service manager's start
     * timeout is the bound (a slow machine, or an emulated one under load, took more than 30 s while
     * the boot plan's loads ran). An incomplete one is said once, and retried once
     * {@link #retryIfIncomplete} is called (when the daemon is ready).
     */
    Generation first() throws IOException {
        Attempt a = new Attempt(ids.incrementAndGet(), "start", clock.instant());
        a.thread = new Thread(() -> build(a), "autoprobe-reload-" + a.id);
        a.thread.setDaemon(true);
        a.thread.start();
        Generation g;
        try {
            try {
                g = a.result.get(policy.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("generation 1 is not built after {} (a slow machine, or a configuration source that blocks);"
                        + " waiting for it", seconds(policy.timeout()));
                g = a.result.get();
            }
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            a.thread.interrupt();
            throw new IOException("interrupted while building generation 1");
        }
        current.set(g);
        if (!g.complete()) {
            LOG.warn("generation 1 could not read its sources: {}; starting with it anyway (there is no earlier"
                    + " generation), lookups may find nothing until a reload reads them", g.whyIncomplete());
            synchronized (lock) {
                failed++;
                lastFailure = "generation 1 incomplete: " + g.whyIncomplete();
                lastFailureAt = clock.instant();
            }
        }
        return g;
    }

    /** When the generation in use is incomplete (a degraded start), schedules its retry. */
    void retryIfIncomplete() {
        Generation g = current.get();
        if (g != null && !g.complete()) {
            Duration in;
            synchronized (lock) {
                in = running == null && retry == null ? scheduleRetryLocked() : null;
            }
            if (in != null) {
                LOG.info("retrying generation {}'s sources in {}", g.id(), seconds(in));
            }
        }
    }

    /**
     * Starts a build now (a pending retry is cancelled), or when one is running, joins it and
     * builds once more after it. Never blocks on the build; the future completes with the new
     * generation once it is in use, or with a {@link ReloadException} saying why not.
     */
    CompletableFuture<Generation> request(String cause) {
        Attempt a;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new ReloadException("the daemon is stopping"));
            }
            cancelRetryLocked();
            if (running != null) {
                again = true;
                return running.result;
            }
            a = prepareLocked(cause);
            if (a == null) {
                return CompletableFuture.failedFuture(new ReloadException(lastFailure));
            }
        }
        launch(a);
        return a.result;
    }

    /** {@link #request}, waiting for the result at most the timeout (and a little). */
    Generation reload(String cause) throws ReloadException {
        CompletableFuture<Generation> f = request(cause);
        try {
            return f.get(policy.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReloadException r) {
                throw r;
            }
            throw new ReloadException(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new ReloadException("no new generation within " + seconds(policy.timeout()) + "; still using generation "
                    + inUse());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReloadException("interrupted while waiting for the reload");
        }
    }

    /** A new attempt, made the running one; null (the failure recorded) when too many are stuck. */
    private Attempt prepareLocked(String cause) {
        abandoned.removeIf(x -> !x.thread.isAlive());
        if (abandoned.size() >= MAX_ABANDONED) {
            String failure = abandoned.size() + " abandoned reloads are still blocked reading their sources;"
                    + " not starting another; still using generation " + inUse();
            boolean repeated = failure.equals(lastFailure);
            failed++;
            lastFailure = failure;
            lastFailureAt = clock.instant();
            Duration in = scheduleRetryLocked();
            if (repeated) {
                LOG.info("reload ({}): {}; retrying in {}", cause, failure, in == null ? "-" : seconds(in));
            } else {
                LOG.warn("reload ({}): {}; retrying in {}", cause, failure, in == null ? "-" : seconds(in));
            }
            return null;
        }
        Attempt a = new Attempt(ids.incrementAndGet(), cause, clock.instant());
        a.thread = new Thread(() -> build(a), "autoprobe-reload-" + a.id);
        a.thread.setDaemon(true);
        running = a;
        return a;
    }

    /** Tells systemd, then starts the build and its timeout, unless stopped meanwhile. */
    private void launch(Attempt a) {
        tell("RELOADING=1", "STATUS=reloading: generation " + a.id);
        synchronized (lock) {
            if (running != a) {
                return; // closed meanwhile
            }
            a.timeout = timer.schedule(() -> timedOut(a), policy.timeout().toMillis(), TimeUnit.MILLISECONDS);
            a.thread.start();
        }
    }

    private void build(Attempt a) {
        Generation g = null;
        String error = null;
        try {
            g = builder.apply(a.id);
        } catch (RuntimeException | Error e) {
            // an OutOfMemoryError, a class gone after a package upgrade...: a failed reload, the
            // generation in use stays; without this the attempt would only end at its timeout
            error = "building generation " + a.id + " failed: " + e;
            LOG.debug("building generation {} failed", a.id, e);
        }
        if (a.cause.equals("start")) {
            if (error == null) {
                a.result.complete(g);
            } else {
                a.result.completeExceptionally(new ReloadException(error));
            }
            return;
        }
        finish(a, g, error);
    }

    private void finish(Attempt a, Generation g, String error) {
        Generation old;
        boolean swapped = false;
        String failure = error;
        Duration retryIn = null;
        boolean rerun;
        boolean repeated;
        synchronized (lock) {
            if (running != a) {
                abandoned.remove(a);
                LOG.info("generation {} built after its reload was {}; discarded", a.id,
                        closed ? "cancelled by the stop" : "abandoned");
                return;
            }
            running = null;
            a.timeout.cancel(false);
            old = current.get();
            if (failure == null) {
                if (g.complete() || old == null || !old.complete()) {
                    current.set(g);
                    swapped = true;
                }
                if (!g.complete()) {
                    failure = "generation " + g.id() + " could not read its sources: " + g.whyIncomplete();
                }
            }
            repeated = failure != null && lastFailure != null && strip(failure).equals(strip(lastFailure));
            if (failure == null) {
                succeeded++;
                backoff = policy.firstRetry();
                cancelRetryLocked();
            } else {
                failed++;
                lastFailure = failure;
                lastFailureAt = clock.instant();
                retryIn = scheduleRetryLocked();
            }
            rerun = again && !closed;
            again = false;
        }
        long inUse = swapped ? g.id() : old == null ? 0 : old.id();
        if (failure == null) {
            LOG.info("reloaded: {} replaces generation {}", g.describe(), old == null ? 0 : old.id());
            tell("READY=1", "STATUS=ready: generation " + g.id());
            a.result.complete(g);
        } else {
            String what = failure + (swapped ? "; using it (generation " + (old == null ? 0 : old.id())
                    + " was incomplete too)" : "; still using generation " + inUse)
                    + (retryIn == null ? "" : "; retrying in " + seconds(retryIn));
            if (repeated) {
                LOG.info("reload ({}): {}", a.cause, what);
            } else {
                LOG.warn("reload ({}): {}", a.cause, what);
            }
            tell("READY=1", "STATUS=ready: generation " + inUse + " (reload failed: " + failure + ")");
            a.result.completeExceptionally(new ReloadException(what));
        }
        if (rerun) {
            startIfIdle("a change while generation " + a.id + " was built");
        }
    }

    /** The build ran out of time: abandon it, keep the generation in use, retry later. */
    private void timedOut(Attempt a) {
        Duration retryIn;
        boolean rerun;
        String failure = "generation " + a.id + " was not built within " + seconds(policy.timeout())
                + " (is a configuration source blocking?); abandoned";
        synchronized (lock) {
            if (running != a) {
                return;
            }
            running = null;
            abandoned.add(a);
            failed++;
            lastFailure = failure;
            lastFailureAt = clock.instant();
            retryIn = scheduleRetryLocked();
            rerun = again && !closed;
            again = false;
        }
        a.thread.interrupt();
        String what = failure + "; still using generation " + inUse()
                + (retryIn == null ? "" : "; retrying in " + seconds(retryIn));
        LOG.warn("reload ({}): {}", a.cause, what);
        tell("READY=1", "STATUS=ready: generation " + inUse() + " (reload failed: " + failure + ")");
        a.result.completeExceptionally(new ReloadException(what));
        if (rerun) {
            startIfIdle("a change while generation " + a.id + " was built");
        }
    }

    private void startIfIdle(String cause) {
        Attempt a;
        synchronized (lock) {
            if (closed || running != null) {
                return;
            }
            cancelRetryLocked();
            a = prepareLocked(cause);
        }
        if (a != null) {
            launch(a);
        }
    }

    /** Schedules the next retry (cancelling one pending); how long until it, or null when closed. */
    private Duration scheduleRetryLocked() {
        if (closed) {
            return null;
        }
        cancelRetryLocked();
        Duration in = backoff;
        Duration next = backoff.multipliedBy(2);
        backoff = next.compareTo(policy.maxRetry()) > 0 ? policy.maxRetry() : next;
        retryAt = clock.instant().plus(in);
        try {
            retry = timer.schedule(this::retryNow, in.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // closing
        }
        return in;
    }

    private void retryNow() {
        synchronized (lock) {
            retry = null;
            retryAt = null;
        }
        startIfIdle("retry");
    }

    private void cancelRetryLocked() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
            retryAt = null;
        }
    }

    /**
     * Stops: no more builds or retries; a running build is interrupted and left (its result will be
     * discarded), whoever waits for it is told the daemon is stopping. Never waits for a build.
     */
    @Override
    public void close() {
        Attempt a;
        synchronized (notifyLock) {
            closed = true;
        }
        synchronized (lock) {
            cancelRetryLocked();
            a = running;
            running = null;
        }
        timer.shutdownNow();
        if (a != null) {
            if (a.thread != null) {
                a.thread.interrupt();
            }
            a.result.completeExceptionally(new ReloadException("the daemon is stopping"));
            LOG.info("stopping: generation {} was being built; left unfinished", a.id);
        }
    }

    /** {@code reload.*} status lines. */
    /** The timer reloads use (retries, timeouts); the daemon's metrics file is written on it too. */
    java.util.concurrent.ScheduledExecutorService timer() {
        return timer;
    }

    /** Reloads that put a new generation in use, and those that did not. */
    long[] outcomes() {
        synchronized (lock) {
            return new long[] {succeeded, failed};
        }
    }

    List<String> status() {
        List<String> out = new ArrayList<>();
        synchronized (lock) {
            abandoned.removeIf(x -> !x.thread.isAlive());
            out.add("reload.ok=" + succeeded);
            out.add("reload.failed=" + failed);
            out.add("reload.running=" + (running == null ? "-" : "generation " + running.id + " since "
                    + running.startedAt + " (" + running.cause + ")"));
            out.add("reload.abandoned=" + abandoned.size());
            if (lastFailure != null) {
                out.add("reload.last_failure=" + lastFailure);
                out.add("reload.last_failure_at=" + lastFailureAt);
            }
            if (retryAt != null) {
                out.add("reload.next_retry=" + retryAt);
            }
        }
        return out;
    }

    private long inUse() {
        Generation g = current.get();
        return g == null ? 0 : g.id();
    }

    private void tell(String... assignments) {
        synchronized (notifyLock) {
            if (!closed) {
                notify.accept(assignments);
            }
        }
    }

    /** A failure without its generation number, to tell a repeated failure from a new one. */
    private static String strip(String failure) {
        return failure.replaceFirst("^generation [0-9]+ ", "generation N ");
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
