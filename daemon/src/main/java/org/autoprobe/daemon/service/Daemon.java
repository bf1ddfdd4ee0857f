package org.autoprobe.daemon.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;


import org.autoprobe.daemon.bootplan.BootKey;
import org.autoprobe.daemon.bootplan.BootPlan;
import org.autoprobe.daemon.bootplan.BootPlanFile;
import org.autoprobe.daemon.bootplan.BootPlanRecorder;
import org.autoprobe.daemon.bootplan.BootPlanRunner;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.coldplug.Reprobe;
import org.autoprobe.daemon.control.ControlServer;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.daemon.load.LiveInserts;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.metrics.LoadMetrics;
import org.autoprobe.daemon.metrics.MetricsFile;
import org.autoprobe.daemon.metrics.PrometheusText;
import org.autoprobe.daemon.timeline.Timeline;
import org.autoprobe.daemon.timeline.TimelineRecorder;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.daemon.pipeline.UeventReader;
import org.autoprobe.daemon.sys.NativeHeap;
import org.autoprobe.daemon.sys.SdNotify;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.UeventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident autoloader: opens the uevent socket, then announces the devices already present
 * (coldplug), tells systemd it is ready, and loads drivers for whatever the kernel announces until
 * stopped. Reloads its index and configuration on request, on SIGHUP (see the CLI) and when the
 * files change; resynchronises from sysfs when the socket overflowed.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    /** Where the daemon is in its life. */
    enum State {
        STARTING,
        READY,
        STOPPING,
        STOPPED
    }

    private final DaemonOptions options;
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private final AtomicLong generations = new AtomicLong();
    private final AtomicBoolean resyncPending = new AtomicBoolean();
    /** An overflow while starting: the start walks sysfs again once its coldplug has settled. */
    private final AtomicBoolean overflowWhileStarting = new AtomicBoolean();
    private final AtomicLong resyncs = new AtomicLong();
    /**
     * How long after the start's (or a reload's) end memory is settled: after the load pools' idle
     * threads have ended (30 s keep-alive; their stacks and C heap go with them) and the start's
     * burst is over (the JIT compiler's queue, the boot plan's writing): what is trimmed sooner is
     * taken again (docs/PERFORMANCE.md, "Idle daemon memory": 67.9 MB idle without it, 64.2 MB
     * trimmed 10 s after ready, 62.7 MB at 36 s, JDK 25).
     */
    static final long SETTLE_DELAY_MS = Long.getLong("autoprobe.settleDelayMs", 36_000);
    private final java.util.concurrent.atomic.AtomicBoolean settlePending = new java.util.concurrent.atomic.AtomicBoolean();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "autoprobe-background");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Set by the first {@link #stop()}; later calls return at once. */
    private final AtomicBoolean stopCalled = new AtomicBoolean();
    private final Reloader reloader;
    private final Instant startedAt = Instant.now();
    private final Coldplug coldplug;
    private final Reprobe reprobe;
    private final AtomicLong reprobed = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile int coldplugDevices;
    private LoadCoordinator coordinator;
    private UeventPipeline pipeline;
    private UeventSource source;
    private UeventReader reader;
    private Thread readerThread;
    private volatile ControlServer control;
    private IndexWatcher watcher;
    private SdNotify notify;
    /** This boot's {@link BootKey}, when the daemon keeps a boot plan. */
    private List<String> bootKey;
    private BootPlanRunner bootPlan;
    private BootPlanRecorder recorder;
    /** The first generation's id: the boot plan's loads count for it. */
    private static final long FIRST_GENERATION = 1;
    /** Completes when the next boot's plan has been written (or given up); a stop waits for it. */
    private volatile java.util.concurrent.CompletableFuture<Void> planWritten =
            java.util.concurrent.CompletableFuture.completedFuture(null);
    /** Decisions by reason and load times, for the metrics. */
    private LoadMetrics loadMetrics;
    /** The last coldplug's recording (the start's until another is asked for). */
    private volatile TimelineRecorder timeline;
    /** The metrics file, when {@link DaemonOptions#metricsFile()} names one. */
    private volatile MetricsFile metricsFile;

    private Daemon(DaemonOptions options) {
        this.options = options;
        this.coldplug = new Coldplug(options.sources().sysRoot(), w -> LOG.warn("coldplug: {}", w));
        this.reprobe = new Reprobe(options.sources().sysRoot(), w -> LOG.debug("reprobe: {}", w));
        this.reloader = new Reloader(options.generations(), generations, current, options.reload(),
                a -> {
                    tell(a);
                    if (java.util.Arrays.asList(a).contains("READY=1")) {
                        settleMemory(); // a reload ended: the old generation is garbage now
                    }
                }, java.time.Clock.systemUTC());
    }

    /** Starts everything and returns once coldplug has settled (or {@link DaemonOptions#settle()} ran out). */
    public static Daemon start(DaemonOptions options) throws IOException {
        Daemon d = new Daemon(options);
        try {
            d.boot();
        } catch (IOException | RuntimeException e) {
            d.stop();
            throw e;
        }
        return d;
    }

    private void boot() throws IOException {
        if (options.notifySocket() != null && !options.notifySocket().isEmpty()) {
            notify = SdNotify.to(options.notifySocket());
        }
        // inserts end when their module is live (not when the kernel's wait for other drivers'
        // asynchronous calls that follows ends): see LiveInserts
        Kernel inserts = LiveInserts.of(options.kernel());
        coordinator = new LoadCoordinator(inserts, options.commands(), options.workers(), options.listener());
        // two small objects, no I/O: the boot plan's loads are counted and timed too
        boolean dryRun = dryRun();
        loadMetrics = new LoadMetrics(dryRun);
        timeline = TimelineRecorder.begin("autoprobe " + (dryRun ? "dry run: " : "") + "coldplug of the start at "
                + startedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), true, dryRun);
        coordinator.observe(this::loadEnded);
        if (options.bootPlan() != null && options.coldplug() == Coldplug.Mode.WALK) {
            // the last boot's decisions, carried out at once (key, checks and loads on their own
            // threads) while everything below is being built
            if (!options.bootPlanUse().carriesOut()) {
                bootKey = BootKey.compute(options.sources(), procRoot());
            } else {
                bootPlan = BootPlanRunner.start(options.bootPlan(), () -> BootKey.compute(options.sources(), procRoot()),
                        options.sources().sysRoot(), inserts, coordinator, FIRST_GENERATION, options.workers());
            }
            if (options.bootPlanUse().writes()) {
                recorder = new BootPlanRecorder();
            }
        }
        if (options.readyAtStart()) {
            // the service is up for systemd's purposes: the boot goes on while the plan's loads, the
            // first generation and coldplug proceed (every device present is still covered: the
            // uevent socket is bound before the coldplug walk)
            tell("READY=1", "STATUS=starting: coldplug to follow");
        }
        if (options.metricsFile() != null) {
            // after the boot plan's first insert began: first written soon, on the reload timer's thread
            startMetricsFile(options.metricsFile());
        }
        reloader.first(); // in use from now on, complete or not (then said once, retried once ready)
        pipeline = new UeventPipeline(current::get, coordinator, options.ringSize(),
                UeventPipeline.defaultWaitStrategy());
        pipeline.listen(this::decided);
        if (recorder != null) {
            pipeline.listen(recorder);
            pipeline.recordColdplugReads(true);
        }
        pipeline.start();
        source = options.source().open();
        reader = new UeventReader(source, pipeline, this::requestResync);
        readerThread = new Thread(reader, "autoprobe-uevent-socket");
        readerThread.start();
        if (options.controlSocket() != null) {
            control = ControlServer.open(options.controlSocket(), new DaemonControl(this));
        }
        tell("STATUS=coldplug");
        coldplugDevices = runColdplug(options.coldplug(), recorder);
        if (recorder != null) {
            pipeline.recordColdplugReads(false);
            recorder.stop();
        }
        if (bootPlan != null) {
            awaitBootPlan();
            bootKey = bootPlan.key();
            if (current.get().id() != FIRST_GENERATION) {
                coordinator.retag(FIRST_GENERATION, -1);
            }
        }
        timeline.end();
        // events lost while coldplug ran (cascades: children of devices whose drivers just loaded)
        // are not covered by the coldplug itself when it started before them
        while (overflowWhileStarting.getAndSet(false)) {
            resync();
        }
        state = State.READY;
        if (overflowWhileStarting.getAndSet(false)) {
            requestResync(); // an overflow between the loop above and READY
        }
        String summary = timeline == null ? "" : timeline.snapshot().summary();
        String status = "ready: " + coldplugDevices + " devices announced, " + coordinator.counters().loaded.sum()
                + " modules loaded, " + coordinator.counters().failed.sum() + " failed" + (summary.isEmpty() ? "" : "; " + summary);
        LOG.info("{}", status);
        tell("READY=1", "STATUS=" + status);
        reloader.retryIfIncomplete();
        if (recorder != null) {
            BootPlanRecorder r = recorder;
            if (!options.bootPlanUse().carriesOut()) {
                saveBootPlan(r); // the caller (autoprobe coldplug) stops at once
            } else {
                planWritten = new java.util.concurrent.CompletableFuture<>();
                background.execute(() -> {
                    try {
                        saveBootPlan(r);
                    } finally {
                        planWritten.complete(null);
                    }
                });
            }
        }
        settleMemory();
        if (options.watch()) {
            watcher = IndexWatcher.start(options.sources().watchedDirectories(), Duration.ofMillis(500),
                    this::requestReload);
        }
    }

    /**
     * A while after the start (or a reload) is over ({@link #SETTLE_DELAY_MS}), gives back what its
     * burst left behind: a full collection (the start's garbage, the old generation's index copies)
     * and the C heap's free pages ({@link NativeHeap#trim}). On the background thread; requests while
     * one waits make one.
     */
    private void settleMemory() {
        if (state != State.READY || !settlePending.compareAndSet(false, true)) {
            return;
        }
        try {
            reloader.timer().schedule(() -> afterSettleDelay(), SETTLE_DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            settlePending.set(false); // stopping
        }
    }

    private void afterSettleDelay() {
        try {
            background.execute(() -> {
                settlePending.set(false);
                Runtime rt = Runtime.getRuntime();
                long before = rt.totalMemory();
                System.gc();
                boolean trimmed = NativeHeap.trim();
                LOG.debug("memory settled: heap committed {} -> {} KiB, C heap {}", before / 1024,
                        rt.totalMemory() / 1024, trimmed ? "trimmed" : "not trimmed (no malloc_trim)");
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            settlePending.set(false); // stopping
        }
    }

    private void awaitBootPlan() {
        try {
            bootPlan.done().get(options.settle().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("boot plan: loads still running after {}", options.settle());
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("boot plan: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes the next boot's plan, if the files it depends on are still those of this start's key
     * (computed again now); else what the plan loaded counts for no generation's decisions, and a
     * reload picks up the files that changed while starting (the watcher was not running yet).
     */
    private void saveBootPlan(BootPlanRecorder r) {
        java.nio.file.Path file = options.bootPlan();
        if (bootKey == null || !bootKey.equals(BootKey.compute(options.sources(), procRoot()))) {
            coordinator.retag(FIRST_GENERATION, -1);
            LOG.info("boot plan not written: the index or configuration changed while starting");
            requestReload();
            return;
        }
        if (!current.get().complete()) {
            LOG.info("boot plan not written: the generation is incomplete");
            return;
        }
        try {
            Map<String, BootPlan.Device> unchanged = bootPlan == null ? Map.of() : bootPlan.unchangedDevices();
            BootPlan plan = r.build(bootKey, current.get(), unchanged, coordinator.finished(),
                    n -> LOG.info("boot plan: {}", n));
            BootPlanFile.write(file, plan);
            LOG.info("boot plan written: {} devices, {} modules ({})", plan.devices().size(), plan.modules().size(), file);
        } catch (java.io.IOException e) {
            LOG.warn("boot plan not written: {}: {}", file, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("boot plan not written: {}", e.getMessage());
        }
    }

    /** The proc mount beside the kernel command line the sources read ({@code /proc}), or null. */
    private java.nio.file.Path procRoot() {
        java.nio.file.Path cmdline = options.sources().cmdline();
        return cmdline == null ? null : cmdline.getParent();
    }

    private int runColdplug(Coldplug.Mode mode) throws IOException {
        return runColdplug(mode, null);
    }

    private int runColdplug(Coldplug.Mode mode, BootPlanRecorder seen) throws IOException {
        int n;
        if (mode == Coldplug.Mode.TRIGGER) {
            String uuid = Coldplug.newUuid();
            reader.expectSynthUuid(uuid);
            n = coldplug.trigger(uuid);
            long deadline = System.nanoTime() + options.settle().toNanos();
            while (reader.synthSeen() < n && System.nanoTime() < deadline) {
                sleep(5);
            }
            if (reader.synthSeen() < n) {
                LOG.warn("coldplug: the kernel announced {} of {} triggered devices in time", reader.synthSeen(), n);
            }
        } else {
            n = seen == null ? coldplug.walk(pipeline) : coldplug.walk(pipeline, seen::seen);
        }
        try {
            if (!pipeline.awaitIdle(options.settle())) {
                LOG.warn("coldplug: loads still running after {}", options.settle());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!(options.kernel() instanceof org.autoprobe.daemon.load.RecordingKernel)) {
            Generation g = current.get();
            List<String> bound = reprobe.run(alias -> g.resolver().resolve(alias, true));
            reprobed.addAndGet(bound.size());
            if (!bound.isEmpty()) {
                LOG.info("coldplug: bound after a new probe (their module was loaded, the device had no driver): {}",
                        String.join(" ", bound));
            }
        }
        return n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tell(String... assignments) {
        if (notify != null) {
            try {
                notify.send(assignments);
            } catch (IOException e) {
                LOG.warn("cannot notify systemd: {}", e.getMessage());
            }
        }
    }

    /** The generation new events use. */
    Generation generation() {
        return current.get();
    }

    State state() {
        return state;
    }

    LoadCoordinator coordinator() {
        return coordinator;
    }

    UeventPipeline pipeline() {
        return pipeline;
    }

    /**
     * Builds a new generation from the files and swaps it in; work in flight finishes on the old
     * one. The build runs on a thread of its own and takes no lock a stop needs; this waits for it
     * at most the reload timeout ({@link DaemonOptions.Reload}). A generation that could not read
     * its index or configuration ({@link Generation#complete()}) does not replace a complete one:
     * the old one stays and the reload is retried with a growing delay.
     *
     * @throws ReloadException when no new complete generation is in use: the build failed, was
     *                         incomplete, timed out, or the daemon is stopping (the message says
     *                         which, and which generation is in use)
     */
    Generation reload() throws ReloadException {
        if (state != State.READY) {
            throw new ReloadException("the daemon is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        return reloader.reload("requested");
    }

    /** Reload in the background (SIGHUP, file changes): at once, even when a retry was scheduled. */
    public void requestReload() {
        if (state == State.READY) {
            reloader.request("files changed or SIGHUP");
        }
    }

    /** Announces the present devices again, retrying failed loads; returns how many were announced. */
    int coldplug() throws IOException {
        coordinator.forgetFailures();
        TimelineRecorder t = TimelineRecorder.begin("autoprobe " + (dryRun() ? "dry run: " : "")
                + "coldplug asked for at " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                + " (daemon started at " + startedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + ")", false, dryRun());
        timeline = t;
        try {
            int n = runColdplug(options.coldplug());
            coldplugDevices = n;
            return n;
        } finally {
            t.end();
        }
    }

    private boolean dryRun() {
        return options.kernel() instanceof org.autoprobe.daemon.load.RecordingKernel;
    }

    /** Every finished load, with its times: counted by reason and duration, and drawn in the coldplug's timeline. */
    private void loadEnded(LoadResult r, long startNanos, long endNanos) {
        loadMetrics.ended(r, startNanos, endNanos);
        timeline.ended(r, startNanos, endNanos);
    }

    /** Every resolved event: its targets that matched nothing counted, and drawn in the coldplug's timeline. */
    private void decided(org.autoprobe.daemon.pipeline.RingEvent ev) {
        loadMetrics.decided(org.autoprobe.core.resolve.Reason.NO_MATCH, ev.unmatched());
        loadMetrics.decided(org.autoprobe.core.resolve.Reason.BLACKLISTED, ev.blacklistedCount());
        timeline.decided(ev);
    }

    /** The last coldplug as recorded (the start's, or the last one asked for; still running, maybe). */
    public Timeline timeline() {
        TimelineRecorder t = timeline;
        if (t == null) {
            throw new IllegalStateException("the daemon has not started");
        }
        return t.snapshot();
    }

    /**
     * Writes the metrics file soon (half a second from now) and then every interval, on the reload
     * timer's thread: nothing of it is built before (the text format's classes load at the first write).
     */
    private void startMetricsFile(java.nio.file.Path file) {
        MetricsFile f = new MetricsFile(file, w -> LOG.warn("{}", w));
        metricsFile = f;
        long every = options.metricsInterval().toMillis();
        try {
            reloader.timer().scheduleWithFixedDelay(() -> writeMetrics(f), 500, Math.max(1, every),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("metrics file not scheduled: stopping");
        }
    }

    private void writeMetrics(MetricsFile f) {
        try {
            f.write(metricsText());
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: say it, go on
            LOG.warn("metrics not written: {}", e.toString());
        }
    }

    /**
     * The daemon's counters, gauges and the load time histogram in the Prometheus text exposition
     * format 0.0.4 (the metrics file's contents, {@code autoprobe status --format prometheus}).
     */
    String metricsText() {
        PrometheusText p = new PrometheusText();
        p.gauge("autoprobe_ready", "Whether the daemon is ready (its start's coldplug has settled): 1 or 0.",
                state == State.READY ? 1 : 0);
        p.gauge("autoprobe_start_time_seconds", "When the daemon started, in seconds since the epoch.",
                startedAt.toEpochMilli() / 1000.0);
        Generation g = current.get();
        p.gauge("autoprobe_generation", "The generation (index and configuration) in use; 0 before the first.",
                g == null ? 0 : g.id());
        long[] reloads = reloader.outcomes();
        p.counter("autoprobe_reloads", "Reloads of the index and configuration, by result.", "result",
                ordered("ok", reloads[0], "failed", reloads[1]));
        p.gauge("autoprobe_coldplug_devices", "Devices the last coldplug announced.", coldplugDevices);
        p.counter("autoprobe_resyncs", "Walks of sysfs after the uevent socket overflowed (events lost).", resyncs.get());
        UeventPipeline pl = pipeline;
        if (pl != null) {
            Map<String, Long> m = pl.counters().snapshot();
            p.counter("autoprobe_events", "Uevents that went through the ring, by origin.", "origin",
                    ordered("kernel", m.get("events.kernel"), "coldplug", m.get("events.coldplug"),
                            "replay", m.get("events.replay")));
            p.counter("autoprobe_events_malformed", "Ring entries that did not parse as a uevent.",
                    m.get("events.malformed"));
            p.counter("autoprobe_events_failed", "Events whose handling threw in a stage (each logged).",
                    m.get("events.failed"));
            p.counter("autoprobe_events_unordered", "Events whose loads started out of their device's order (the backlog was full).",
                    m.get("events.unordered"));
        }
        p.counter("autoprobe_decisions", "Decisions about a module for a device, by reason (no-match: a lookup "
                + "that yielded no module; the others once per load run).", "reason", loadMetrics.decisions());
        LoadCoordinator c = coordinator;
        Map<String, Long> loads = c.counters().snapshot();
        p.counter("autoprobe_load_requests", "Modules wanted by events, by how they were answered: a load started, "
                + "one running shared, or a finished one remembered.", "answer",
                ordered("started", loads.get("loads.started"), "shared", loads.get("loads.shared"),
                        "remembered", loads.get("loads.remembered")));
        Map<String, Long> results = new java.util.LinkedHashMap<>();
        boolean dryRun = options.kernel() instanceof org.autoprobe.daemon.load.RecordingKernel;
        for (LoadResult.Status st : LoadResult.Status.values()) {
            String word = st.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            // a dry run loads nothing: what it would have loaded is said so
            results.put(dryRun && st == LoadResult.Status.LOADED ? "would-load" : word,
                    loads.get("loads." + st.name().toLowerCase(java.util.Locale.ROOT)));
        }
        p.counter("autoprobe_loads", "Module loads run, by result.", "result", results);
        p.counter("autoprobe_load_failures", "Module loads that failed, by the kernel's errno.", "errno",
                loadMetrics.failures());
        p.gauge("autoprobe_loads_active", "Module loads queued or running.", c.active());
        p.histogram("autoprobe_load_duration_seconds", "How long module loads took, from a worker taking one to "
                + "its end (the module live).", loadMetrics.durations());
        UeventSource src = source;
        if (src != null) {
            p.counter("autoprobe_socket_dropped", "Messages on the uevent socket dropped: spoofed (not from the "
                    + "kernel), malformed, or udevd's libudev re-broadcasts.", "reason",
                    ordered("spoofed", src.counters().get(ReceiveOutcome.DROPPED_SENDER),
                            "malformed", src.counters().get(ReceiveOutcome.MALFORMED),
                            "libudev", src.counters().get(ReceiveOutcome.LIBUDEV)));
            p.counter("autoprobe_socket_overflows", "Times the kernel dropped uevents (ENOBUFS: the socket's buffer was full).",
                    src.counters().get(ReceiveOutcome.OVERFLOW));
            p.counter("autoprobe_socket_seqnum_gaps", "Kernel uevent sequence numbers never received.",
                    src.seqnums().gaps());
        }
        ControlServer cs = control;
        if (cs != null) {
            Map<String, Long> byResult = new java.util.LinkedHashMap<>();
            cs.counters().snapshot().forEach((k, v) -> {
                if (!k.equals("control.accepted")) {
                    byResult.put(k.substring("control.".length()), v);
                }
            });
            p.counter("autoprobe_control_connections", "Control socket connections, by how they ended.", "result",
                    byResult);
        }
        return p.render();
    }

    private static Map<String, Long> ordered(Object... kv) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1] == null ? 0L : ((Number) kv[i + 1]).longValue());
        }
        return m;
    }

    /**
     * After a socket overflow: walk sysfs again (once, however many overflows queue up meanwhile).
     * While starting, the start does it after its coldplug.
     */
    private void requestResync() {
        if (state == State.STARTING) {
            overflowWhileStarting.set(true);
            return;
        }
        if (state != State.READY || !resyncPending.compareAndSet(false, true)) {
            return;
        }
        background.execute(() -> {
            resyncPending.set(false);
            try {
                resync();
            } catch (IOException e) {
                LOG.error("resynchronisation failed: {}", e.getMessage());
            }
        });
    }

    /**
     * Walks sysfs again. The lost events may have included the kernel's {@code remove@/module/NAME}
     * announcements, so what the coordinator remembers as done is forgotten first: each module is
     * planned again, and one still in the kernel costs a lookup.
     */
    private void resync() throws IOException {
        resyncs.incrementAndGet();
        LOG.info("resynchronising from sysfs after a socket overflow");
        coordinator.forgetSettled();
        runColdplug(Coldplug.Mode.WALK);
    }

    /** Status lines {@code key=value}, for {@code autoprobe status}. */
    public List<String> status() {
        List<String> out = new ArrayList<>();
        Generation g = current.get();
        out.add("state=" + state.name().toLowerCase(java.util.Locale.ROOT));
        out.add("started=" + startedAt);
        if (g != null) {
            out.add("generation=" + g.id());
            out.add("generation.built=" + g.builtAt());
            out.add("generation.problems=" + g.problems().size());
            out.add("generation.unreadable=" + g.unreadable().size());
            if (!g.complete()) {
                out.add("generation.incomplete=" + g.whyIncomplete());
            }
            out.add("module_dir=" + g.moduleDir());
            out.add("rules=" + g.rules().size());
        }
        out.addAll(reloader.status());
        out.add("coldplug.mode=" + options.coldplug().name().toLowerCase(java.util.Locale.ROOT));
        out.add("coldplug.devices=" + coldplugDevices);
        out.add("coldplug.reprobed=" + reprobed.get());
        out.add("resyncs=" + resyncs.get());
        if (bootPlan != null) {
            bootPlan.status().forEach((k, v) -> out.add(k + "=" + v));
        }
        if (source != null) {
            for (ReceiveOutcome o : ReceiveOutcome.values()) {
                out.add("socket." + o.name().toLowerCase(java.util.Locale.ROOT) + "=" + source.counters().get(o));
            }
            out.add("socket.seqnum=" + source.seqnums().last());
            out.add("socket.seqnum_gaps=" + source.seqnums().gaps());
        }
        if (pipeline != null) {
            pipeline.counters().snapshot().forEach((k, v) -> out.add(k + "=" + v));
            coordinator.counters().snapshot().forEach((k, v) -> out.add(k + "=" + v));
            out.add("loads.active=" + coordinator.active());
        }
        ControlServer c = control;
        if (c != null) {
            c.counters().snapshot().forEach((k, v) -> out.add(k + "=" + v));
        }
        Runtime rt = Runtime.getRuntime();
        out.add("jvm.heap.used=" + (rt.totalMemory() - rt.freeMemory()));
        out.add("jvm.heap.committed=" + rt.totalMemory());
        out.add("jvm.heap.max=" + rt.maxMemory());
        return out;
    }

    /** The last result of each module's load, by name. */
    Map<String, org.autoprobe.daemon.load.LoadResult> loads() {
        return coordinator == null ? Map.of() : coordinator.finished();
    }

    /**
     * Stops: no more input (socket closed), the ring drained, running loads given
     * {@link DaemonOptions#stopWait()} to finish. A reload in progress is not waited for: its build
     * is interrupted and left, its result discarded. Idempotent (a second call returns at once; see
     * {@link #awaitStopped()}); safe from a signal handler's thread.
     */
    public void stop() {
        if (!stopCalled.compareAndSet(false, true)) {
            return;
        }
        state = State.STOPPING;
        LOG.info("stopping");
        reloader.close();
        tell("STOPPING=1", "STATUS=stopping");
        closeQuietly(watcher);
        closeQuietly(control);
        if (reader != null) {
            reader.stop();
        }
        closeQuietly(source);
        try {
            if (readerThread != null) {
                readerThread.join(options.stopWait().toMillis());
            }
            if (pipeline != null && !pipeline.shutdown(options.stopWait())) {
                LOG.warn("the ring did not drain within {}", options.stopWait());
            }
            if (coordinator != null && !coordinator.shutdown(options.stopWait())) {
                LOG.warn("loads still running after {}; leaving them", options.stopWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // a stop right after READY (a short boot) still leaves the next boot its plan
            planWritten.get(options.stopWait().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("boot plan: not written within {}", options.stopWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MetricsFile f = metricsFile;
        if (f != null && coordinator != null) {
            writeMetrics(f); // the last counts, once the loads have ended
        }
        background.shutdownNow();
        if (notify != null) {
            notify.close();
        }
        state = State.STOPPED;
        LOG.info("stopped");
        stopped.countDown();
    }

    /** Waits until {@link #stop()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        stop();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    /** What the kernel has loaded, as the daemon asks it. */
    org.autoprobe.core.resolve.ModuleState kernelState() {
        return options.kernel();
    }

    /** The sysfs mount the daemon reads. */
    java.nio.file.Path sysRoot() {
        return options.sources().sysRoot();
    }
}
