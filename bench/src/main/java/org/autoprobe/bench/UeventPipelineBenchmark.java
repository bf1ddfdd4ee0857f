package org.autoprobe.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.YieldingWaitStrategy;

import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.generation.GenerationLoader;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.RecordingKernel;
import org.autoprobe.daemon.pipeline.Origin;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The daemon's hot path in steady state: uevents in the kernel's wire format published into the
 * ring, parsed into the preallocated entries, run through autoprobe's default rules and resolved
 * with the caching resolver over the real tree's indexes, then dispatched; the kernel records and
 * loads nothing, so after the first pass every module is settled and costs a lookup. The events
 * are this machine's devices ({@code /sys/devices}, as a coldplug sees them), replayed in turn.
 * One operation is one event; run with {@code -prof gc} for the allocation per event.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UeventPipelineBenchmark {
    static final int BATCH = 4096;

    private byte[][] messages;
    private int next;
    private LoadCoordinator coordinator;
    private UeventPipeline pipeline;

    @Setup(Level.Trial)
    public void setup() throws IOException, InterruptedException {
        Path moduleDir = IndexedTree.moduleDir();
        RecordingKernel kernel = new RecordingKernel(ModuleState.nothingLoaded());
        Generation g = new GenerationLoader(new GenerationSources(moduleDir, List.of(), List.of(), Path.of("/sys"), null),
                kernel).load(1);
        coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, r -> { });
        pipeline = new UeventPipeline(() -> g, coordinator, 1 << 16, new YieldingWaitStrategy()).start();
        List<byte[]> list = new ArrayList<>();
        long seq = 1;
        for (SysfsDevice d : SysfsDevices.scan(Path.of("/sys"), w -> { })) {
            list.add(message(d, seq++));
        }
        if (list.isEmpty()) {
            throw new IOException("no devices under /sys/devices to replay");
        }
        messages = list.toArray(new byte[0][]);
        for (byte[] m : messages) {
            pipeline.publish(m, 0, m.length, Origin.REPLAY);
        }
        if (!pipeline.awaitIdle(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the first pass did not settle");
        }
    }

    private static byte[] message(SysfsDevice d, long seqnum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, "add@" + d.devpath());
        put(out, "ACTION=add");
        put(out, "DEVPATH=" + d.devpath());
        put(out, "SUBSYSTEM=" + d.subsystem());
        for (Map.Entry<String, String> p : d.properties().entrySet()) {
            put(out, p.getKey() + "=" + p.getValue());
        }
        put(out, "SEQNUM=" + seqnum);
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        pipeline.shutdown(Duration.ofSeconds(5));
        coordinator.shutdown(Duration.ofSeconds(5));
    }

    /** Publishes a batch of events and waits until the dispatcher has taken the last one. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void replay() {
        byte[][] m = messages;
        int i = next;
        for (int n = 0; n < BATCH; n++) {
            byte[] msg = m[i];
            pipeline.publish(msg, 0, msg.length, Origin.REPLAY);
            i = i + 1 == m.length ? 0 : i + 1;
        }
        next = i;
        while (!pipeline.idle()) {
            Thread.onSpinWait();
        }
    }
}
