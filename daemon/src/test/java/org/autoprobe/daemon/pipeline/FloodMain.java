package org.autoprobe.daemon.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.service.DaemonOptions;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.daemon.testing.Uevents;

/**
 * One flood through the daemon's pipeline, in a JVM of its own started by {@link FloodBoundsTest}
 * with the daemon's heap options, logging as the daemon logs (slf4j-simple, info, one plain line
 * per message on standard error, here counted). Prints one line {@code FLOOD key=value...} with
 * what it measured: heap used after a full GC (before and at its peak, sampled while the flood
 * runs), threads, open file descriptors, log lines, and the pipeline's and loads' counters.
 *
 * <ul>
 *   <li>{@code modaliases N}: N events, each with a MODALIAS never seen before, from 1024 device
 *       paths; one in 8 wants a module that loads, one in 16 one whose load fails, one in 256 makes
 *       the index throw (the stage fails), the rest match nothing.</li>
 *   <li>{@code devices N}: N devices never seen before, all wanting one module whose load hangs in
 *       the kernel until the flood is over.</li>
 * </ul>
 */
public final class FloodMain {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");

    private FloodMain() {
    }

    /** Counts the lines written; passes the first few kB on, so a failure has something to show. */
    private static final class CountingStream extends OutputStream {
        private final PrintStream sample;
        private final AtomicLong lines = new AtomicLong();
        private long passed;

        CountingStream(PrintStream sample) {
            this.sample = sample;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.incrementAndGet();
            }
            if (passed++ < 4096) {
                sample.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        CountingStream err = new CountingStream(System.err);
        System.setErr(new PrintStream(err, true));
        // the daemon's logging (DaemonRun.plainLogLines), at slf4j-simple's default level
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        String flood = args[0];
        int n = Integer.parseInt(args[1]);

        SharedKernel kernel = new SharedKernel();
        InMemoryDatabase index = new InMemoryDatabase(DIR).explodeOn(k -> k.startsWith("dev:boom"));
        for (String m : List.of("good", "bad", "slow")) {
            index.module("kernel/" + m + ".ko").alias("dev:" + m + ":*", m);
            kernel.define(index.file("kernel/" + m + ".ko"), m);
        }
        kernel.failInsert("bad", Errno.EPERM);
        CountDownLatch release = new CountDownLatch(1);
        Generation g = TestGenerations.of(1, index, kernel);
        int workers = DaemonOptions.defaultWorkers();
        LoadCoordinator coordinator = new LoadCoordinator(new HangingKernel(kernel, "slow", release),
                new ShellCommandRunner(), workers, r -> { });
        UeventPipeline pipeline = new UeventPipeline(() -> g, coordinator, DaemonOptions.DEFAULT_RING_SIZE,
                UeventPipeline.defaultWaitStrategy()).start();

        IntFunction<byte[]> event;
        if (flood.equals("modaliases")) {
            event = i -> {
                String kind = i % 256 == 3 ? "boom" : i % 8 == 0 ? "good" : i % 16 == 1 ? "bad" : "none";
                return Uevents.add("/devices/flood/d" + (i % 1024), "flood", "dev:" + kind + ":" + i);
            };
        } else if (flood.equals("devices")) {
            event = i -> Uevents.add("/devices/unique/d" + i, "flood", "dev:slow:" + i);
        } else {
            throw new IllegalArgumentException("no flood " + flood);
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // a first event of each kind, so that classes, the JIT's first code and the logger are in place
        publish(pipeline, Uevents.add("/devices/warm", "flood", "dev:none:warm"));
        pipeline.awaitIdle(Duration.ofSeconds(10));
        long heapBefore = heapAfterGc(memory);
        long fdsBefore = openFds();
        int threadsBefore = threads.getThreadCount();
        long linesBefore = err.lines.get();
        threads.resetPeakThreadCount();

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong heapPeak = new AtomicLong(heapBefore);
        AtomicLong fdsPeak = new AtomicLong(fdsBefore);
        AtomicInteger waitingPeak = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            for (int tick = 0; !done.get(); tick++) {
                if (tick % 10 == 0) {
                    heapPeak.accumulateAndGet(heapAfterGc(memory), Math::max);
                }
                fdsPeak.accumulateAndGet(openFds(), Math::max);
                waitingPeak.accumulateAndGet(pipeline.waitingEvents(), Math::max);
                samples.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flood-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long start = System.nanoTime();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int first = p;
            Thread t = new Thread(() -> {
                for (int i = first; i < n; i += 2) {
                    publish(pipeline, event.apply(i));
                }
            }, "flood-producer-" + p);
            producers.add(t);
            t.start();
        }
        for (Thread t : producers) {
            t.join();
        }
        long published = System.nanoTime();
        // the flood is in: let the hanging load finish, and everything settle
        release.countDown();
        boolean idle = pipeline.awaitIdle(Duration.ofSeconds(30));
        long settled = System.nanoTime();
        done.set(true);
        sampler.join();
        heapPeak.accumulateAndGet(heapAfterGc(memory), Math::max);
        long heapAfter = heapAfterGc(memory);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flood", flood);
        out.put("events", n);
        out.put("idle", idle);
        out.put("publish_ms", (published - start) / 1_000_000);
        out.put("settle_ms", (settled - published) / 1_000_000);
        out.put("samples", samples.get());
        out.put("heap_before", heapBefore);
        out.put("heap_peak", heapPeak.get());
        out.put("heap_after", heapAfter);
        out.put("heap_max", memory.getHeapMemoryUsage().getMax());
        out.put("threads_before", threadsBefore);
        // the producers and the sampler are the flood's own
        out.put("threads_peak", threads.getPeakThreadCount());
        out.put("flood_threads", producers.size() + 1);
        out.put("workers", workers);
        out.put("fds_before", fdsBefore);
        out.put("fds_peak", fdsPeak.get());
        out.put("log_lines", err.lines.get() - linesBefore);
        out.put("waiting_peak", waitingPeak.get());
        out.put("waiting_max", LoadDispatcher.MAX_WAITING);
        out.put("inserts", kernel.calls().size());
        pipeline.counters().snapshot().forEach(out::put);
        coordinator.counters().snapshot().forEach(out::put);
        pipeline.shutdown(Duration.ofSeconds(5));
        coordinator.shutdown(Duration.ofSeconds(5));
        StringBuilder line = new StringBuilder("FLOOD");
        out.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.out.flush();
    }

    /** The kernel, but an insert of {@code hung} waits (finit_module blocking) until {@code release}. */
    private static final class HangingKernel implements Kernel {
        private final Kernel kernel;
        private final String hung;
        private final CountDownLatch release;

        HangingKernel(Kernel kernel, String hung, CountDownLatch release) {
            this.kernel = kernel;
            this.hung = hung;
            this.release = release;
        }

        @Override
        public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
            if (ModuleNames.fromPath(file).equals(hung)) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            kernel.insert(file, parameters, flags);
        }

        @Override
        public void remove(String name, boolean force) throws SyscallException {
            kernel.remove(name, force);
        }

        @Override
        public List<LoadedModule> loaded() throws IOException {
            return kernel.loaded();
        }

        @Override
        public Optional<InitState> initState(String name) {
            return kernel.initState(name);
        }

        @Override
        public OptionalInt refcount(String name) {
            return kernel.refcount(name);
        }

        @Override
        public List<String> holders(String name) {
            return kernel.holders(name);
        }

        @Override
        public OptionalLong size(String name) {
            return kernel.size(name);
        }

        @Override
        public Map<String, String> parameters(String name) {
            return kernel.parameters(name);
        }
    }

    private static void publish(UeventPipeline pipeline, byte[] m) {
        if (!pipeline.publish(m, 0, m.length, Origin.KERNEL)) {
            throw new IllegalStateException("not a uevent");
        }
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // the listing's own
        } catch (IOException e) {
            return -1;
        }
    }
}
