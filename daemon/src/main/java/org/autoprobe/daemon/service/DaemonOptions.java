package org.autoprobe.daemon.service;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.netlink.uevent.UeventSource;

/**
 * How a {@link Daemon} runs.
 *
 * @param sources       where generations are read from (sysfs, the directories to watch)
 * @param generations   builds generation number N (normally {@code new GenerationLoader(sources, kernel)::load})
 * @param kernel        where modules go
 * @param commands      runs install commands
 * @param workers       loads at once
 * @param coldplug      how devices present at start are announced
 * @param controlSocket the control socket's path, or null for none
 * @param watch         whether to reload when the index or configuration files change
 * @param notifySocket  where to tell systemd when ready and stopping ({@code $NOTIFY_SOCKET}), or null
 * @param settle        how long a coldplug may take to settle
 * @param stopWait      how long a stop waits for the ring to drain and for running loads
 * @param source        opens the uevent source (the netlink socket)
 * @param listener      told of every finished load
 * @param ringSize      entries in the event ring (a power of two): each is a preallocated uevent
 *                      copy of about 8 KB, so this is most of the idle daemon's live heap; a full
 *                      ring makes the socket reader wait while the kernel's socket buffer holds the rest
 * @param reload        how long a reload may take and how failed ones are retried
 * @param bootPlan      the boot plan's file ({@code /var/lib/autoprobe/boot-plan}): read at start and
 *                      carried out beside the coldplug when it fits, written again after it; null for none
 *                      (a dry run has none)
 * @param bootPlanUse   what is done with the boot plan: carried out and written again (the daemon),
 *                      only written ({@code autoprobe coldplug --write-boot-plan}: a package's installation
 *                      makes the first boot's plan that way), or only carried out (a dry run's training)
 * @param readyAtStart  tell systemd {@code READY=1} as the start begins (coldplug then runs behind it, as
 *                      udevd's does behind systemd-udev-trigger, and {@code READY=1} with the final status
 *                      follows when it has settled) rather than only once coldplug has settled
 * @param metricsFile   where the metrics are written in the Prometheus text format (for node_exporter's
 *                      textfile collector), replaced whole every {@code metricsInterval}, first soon
 *                      after the start and last at the stop; null for none
 * @param metricsInterval how often the metrics file is written
 */
public record DaemonOptions(GenerationSources sources, LongFunction<Generation> generations, Kernel kernel, CommandRunner commands, int workers,
                            Coldplug.Mode coldplug, Path controlSocket, boolean watch, String notifySocket,
                            Duration settle, Duration stopWait, SourceFactory source,
                            Consumer<LoadResult> listener, int ringSize, Reload reload, Path bootPlan,
                            BootPlanUse bootPlanUse, boolean readyAtStart, Path metricsFile,
                            Duration metricsInterval) {
    /** What a start does with {@link #bootPlan()}. */
    enum BootPlanUse {
        /** Carried out at start when it fits, written again after the start's coldplug. */
        CARRY_OUT_AND_WRITE,
        /** Written after the start's coldplug (before {@link Daemon#start} returns), never carried out. */
        WRITE_ONLY,
        /**
         * Carried out when it fits, never written: a dry run (whose kernel only records) that goes
         * through the plan's code as a boot does, so that class data built from it covers that code.
         */
        CARRY_OUT_ONLY;

        boolean carriesOut() {
            return this != WRITE_ONLY;
        }

        boolean writes() {
            return this != CARRY_OUT_ONLY;
        }
    }

    /**
     * How reloads are bounded and retried.
     *
     * @param timeout    how long building a generation may take; then it is abandoned (left to finish
     *                   on its own thread, its result discarded), the old generation kept
     * @param firstRetry the wait before retrying a failed reload; doubled after each failure in a row
     * @param maxRetry   the longest wait between retries
     */
    record Reload(Duration timeout, Duration firstRetry, Duration maxRetry) {
        /** 30 s to build; retries after 1 s, 2 s, 4 s ... at most every 60 s. */
        static final Reload DEFAULT = new Reload(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(60));

        public Reload {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(firstRetry, "firstRetry");
            Objects.requireNonNull(maxRetry, "maxRetry");
            if (timeout.isNegative() || timeout.isZero() || firstRetry.isNegative() || firstRetry.isZero()
                    || maxRetry.compareTo(firstRetry) < 0) {
                throw new IllegalArgumentException("bad reload policy: " + timeout + ", " + firstRetry + ", " + maxRetry);
            }
        }
    }

    /**
     * Ring entries by default: the pipeline's 512 (a few MB; 4,096 kept the idle daemon's resident
     * set above 64 MB); a coldplug of a few hundred devices still fits whole.
     */
    public static final int DEFAULT_RING_SIZE = UeventPipeline.DEFAULT_RING_SIZE;
    /** Opens the uevent source. */
    @FunctionalInterface
    public interface SourceFactory {
        UeventSource open() throws IOException;
    }

    public DaemonOptions {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(generations, "generations");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(commands, "commands");
        Objects.requireNonNull(coldplug, "coldplug");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(stopWait, "stopWait");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(reload, "reload");
        Objects.requireNonNull(bootPlanUse, "bootPlanUse");
        Objects.requireNonNull(metricsInterval, "metricsInterval");
        if (metricsInterval.isNegative() || metricsInterval.isZero()) {
            throw new IllegalArgumentException("the metrics interval must be positive: " + metricsInterval);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        if (ringSize < 1 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("the ring size must be a power of two: " + ringSize);
        }
    }

    /** Options with the {@link #DEFAULT_RING_SIZE default ring}. */
    public DaemonOptions(GenerationSources sources, LongFunction<Generation> generations, Kernel kernel,
                         CommandRunner commands, int workers, Coldplug.Mode coldplug, Path controlSocket,
                         boolean watch, String notifySocket, Duration settle, Duration stopWait,
                         SourceFactory source, Consumer<LoadResult> listener) {
        this(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch, notifySocket,
                settle, stopWait, source, listener, DEFAULT_RING_SIZE);
    }

    /** Options with the {@linkplain Reload#DEFAULT default reload policy}. */
    public DaemonOptions(GenerationSources sources, LongFunction<Generation> generations, Kernel kernel,
                         CommandRunner commands, int workers, Coldplug.Mode coldplug, Path controlSocket,
                         boolean watch, String notifySocket, Duration settle, Duration stopWait,
                         SourceFactory source, Consumer<LoadResult> listener, int ringSize) {
        this(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch, notifySocket,
                settle, stopWait, source, listener, ringSize, Reload.DEFAULT, null, BootPlanUse.CARRY_OUT_AND_WRITE, false);
    }

    /** Options without a metrics file. */
    public DaemonOptions(GenerationSources sources, LongFunction<Generation> generations, Kernel kernel,
                         CommandRunner commands, int workers, Coldplug.Mode coldplug, Path controlSocket,
                         boolean watch, String notifySocket, Duration settle, Duration stopWait,
                         SourceFactory source, Consumer<LoadResult> listener, int ringSize, Reload reload,
                         Path bootPlan, BootPlanUse bootPlanUse, boolean readyAtStart) {
        this(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch, notifySocket,
                settle, stopWait, source, listener, ringSize, reload, bootPlan, bootPlanUse, readyAtStart, null,
                DEFAULT_METRICS_INTERVAL);
    }

    /** How often the metrics file is written unless told otherwise: 15 s, Prometheus's usual scrape interval. */
    public static final Duration DEFAULT_METRICS_INTERVAL = Duration.ofSeconds(15);

    /**
     * These options writing the metrics to {@code file} (null: none) every {@code interval}, first
     * soon after the start and last at the stop.
     */
    public DaemonOptions withMetrics(Path file, Duration interval) {
        return new DaemonOptions(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, reload, bootPlan, bootPlanUse, readyAtStart,
                file, interval);
    }

    /** These options with another reload policy. */
    DaemonOptions withReload(Reload r) {
        return new DaemonOptions(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, r, bootPlan, bootPlanUse, readyAtStart,
                metricsFile, metricsInterval);
    }

    /** These options with a boot plan kept in {@code file} (null: none), carried out at start and written after it. */
    public DaemonOptions withBootPlan(Path file) {
        return new DaemonOptions(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, reload, file, BootPlanUse.CARRY_OUT_AND_WRITE, readyAtStart,
                metricsFile, metricsInterval);
    }

    /** These options writing a boot plan to {@code file} after the start's coldplug, never carrying one out. */
    public DaemonOptions withBootPlanWrittenTo(Path file) {
        return new DaemonOptions(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, reload, file, BootPlanUse.WRITE_ONLY, readyAtStart,
                metricsFile, metricsInterval);
    }

    /**
     * These options carrying out the boot plan in {@code file} when it fits, never writing one (a dry
     * run: its kernel records the inserts instead of making them).
     */
    public DaemonOptions withBootPlanCarriedOutOnly(Path file) {
        return new DaemonOptions(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, reload, file, BootPlanUse.CARRY_OUT_ONLY, readyAtStart,
                metricsFile, metricsInterval);
    }

    /** These options with another way of building generations. */
    DaemonOptions withGenerations(LongFunction<Generation> g) {
        return new DaemonOptions(sources, g, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, reload, bootPlan, bootPlanUse, readyAtStart,
                metricsFile, metricsInterval);
    }

    /** These options telling systemd {@code READY=1} as the start begins ({@code true}) or once coldplug settled. */
    public DaemonOptions withReadyAtStart(boolean atStart) {
        return new DaemonOptions(sources, generations, kernel, commands, workers, coldplug, controlSocket, watch,
                notifySocket, settle, stopWait, source, listener, ringSize, reload, bootPlan, bootPlanUse, atStart, metricsFile,
                metricsInterval);
    }

    /**
     * Loads at once by default: as many as systemd-udevd runs workers (8, plus 2 per processor), at
     * most 64. Not the processor count: a load mostly waits (a driver's probe sleeps while it resets
     * its device: ata_piix took 3.7 s in the TCG guest, docs/PERFORMANCE.md), and with 2 workers two
     * slow probes held every other load back.
     */
    public static int defaultWorkers() {
        return Math.min(64, 8 + 2 * Runtime.getRuntime().availableProcessors());
    }}
