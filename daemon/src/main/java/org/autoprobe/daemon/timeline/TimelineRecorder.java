package org.autoprobe.daemon.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.autoprobe.daemon.load.LoadObserver;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.pipeline.RingEvent;

/**
 * Records one coldplug's device events and loads for its {@link Timeline}, from {@link #begin}
 * until {@link #end()}. Bounded: at most {@link #MAX_DEVICES} events and {@link #MAX_LOADS} loads
 * are kept (the rest only counted), in arrays sized once, so a storm of events cannot make it grow;
 * recording one takes no lock and allocates one small record (events that ask for no module,
 * most of sysfs, are not recorded at all).
 */
public final class TimelineRecorder implements LoadObserver {
    static final int MAX_DEVICES = 4096;
    static final int MAX_LOADS = 4096;

    private final String title;
    private final boolean atStart;
    private final boolean dryRun;
    private final long begin;
    private volatile long end = -1;
    private final AtomicReferenceArray<Timeline.Device> devices;
    private final AtomicReferenceArray<Timeline.Load> loads;
    private final AtomicInteger deviceCount = new AtomicInteger();
    private final AtomicInteger loadCount = new AtomicInteger();

    private TimelineRecorder(String title, boolean atStart, boolean dryRun, long begin, int maxDevices, int maxLoads) {
        this.title = title;
        this.atStart = atStart;
        this.dryRun = dryRun;
        this.begin = begin;
        this.devices = new AtomicReferenceArray<>(maxDevices);
        this.loads = new AtomicReferenceArray<>(maxLoads);
    }

    /**
     * Starts recording now.
     *
     * @param atStart whether this is the coldplug of the process's start (its times then count from
     *                the process's start), else one asked for later (from its own beginning)
     * @param dryRun  whether loads are only recorded ({@code LOADED} is then {@code would-load})
     */
    public static TimelineRecorder begin(String title, boolean atStart, boolean dryRun) {
        return new TimelineRecorder(title, atStart, dryRun, System.nanoTime(), MAX_DEVICES, MAX_LOADS);
    }

    /** A recorder keeping at most the given numbers (tests of the bound). */
    static TimelineRecorder begin(String title, int maxDevices, int maxLoads) {
        return new TimelineRecorder(title, false, false, System.nanoTime(), maxDevices, maxLoads);
    }

    /** Stops recording: what comes later is not kept. Idempotent. */
    public void end() {
        if (end < 0) {
            end = System.nanoTime();
        }
    }

    boolean recording() {
        return end < 0;
    }

    /** Records a device event that asked for modules (on the dispatcher's thread: copies what it keeps). */
    public void decided(RingEvent ev) {
        if (end >= 0 || ev.asked().isEmpty()) {
            return;
        }
        long resolved = System.nanoTime();
        int i = deviceCount.getAndIncrement();
        if (i >= devices.length()) {
            return;
        }
        CharSequence modalias = ev.slot().get("MODALIAS");
        devices.set(i, new Timeline.Device(ev.slot().devpath().toString(), modalias == null ? null : modalias.toString(),
                ev.asked(), ev.modules(), ev.announcedNanos(), resolved));
    }

    @Override
    public void ended(LoadResult r, long startNanos, long endNanos) {
        if (end >= 0) {
            return;
        }
        int i = loadCount.getAndIncrement();
        if (i >= loads.length()) {
            return;
        }
        String word = dryRun && r.status() == LoadResult.Status.LOADED ? "would-load" : r.statusText();
        loads.set(i, new Timeline.Load(r.request().module(), r.request().devpath(), r.status(), word, r.detail(),
                startNanos, endNanos));
    }

    /** What was recorded so far, with times from its origin. */
    public Timeline snapshot() {
        long origin = atStart ? processStart() : begin;
        Timeline.Origin kind = atStart ? Timeline.Origin.PROCESS_START : Timeline.Origin.COLDPLUG_BEGIN;
        List<Timeline.Device> ds = new ArrayList<>();
        for (int i = 0, n = Math.min(deviceCount.get(), devices.length()); i < n; i++) {
            Timeline.Device d = devices.get(i);
            if (d != null) {
                ds.add(new Timeline.Device(d.devpath(), d.modalias(), d.asked(), d.modules(), d.announced() - origin,
                        d.resolved() - origin));
            }
        }
        List<Timeline.Load> ls = new ArrayList<>();
        for (int i = 0, n = Math.min(loadCount.get(), loads.length()); i < n; i++) {
            Timeline.Load l = loads.get(i);
            if (l != null) {
                ls.add(new Timeline.Load(l.module(), l.devpath(), l.status(), l.word(), l.detail(), l.start() - origin,
                        l.end() - origin));
            }
        }
        long e = end;
        return new Timeline(title, kind, begin - origin, e < 0 ? -1 : e - origin, ds, ls,
                Math.max(0, deviceCount.get() - devices.length()), Math.max(0, loadCount.get() - loads.length()));
    }

    /**
     * The process's start on the {@link System#nanoTime()} clock: the kernel's start time of this
     * process ({@code /proc/self/stat}, through {@link ProcessHandle}, to the clock tick), or this
     * recording's beginning when the system does not say.
     */
    private long processStart() {
        Instant started = ProcessHandle.current().info().startInstant().orElse(null);
        if (started == null) {
            return begin;
        }
        long now = System.nanoTime();
        long ago = Duration.between(started, Instant.now()).toNanos();
        return Math.min(begin, now - Math.max(0, ago));
    }
}
