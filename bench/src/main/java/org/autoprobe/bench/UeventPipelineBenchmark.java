package org.autoprobe.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.autoprobe.daemon.pipeline.Origin;
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
 * The daemon's hot path in steady state, as a storm: uevents in the kernel's wire format
 * published into the ring (parsed into the preallocated entries), run through autoprobe's
 * default rules, resolved with the caching resolver over the real tree's indexes and dispatched
 * (each module already settled: a lookup); see {@link UeventReplay}. The pipeline is the daemon's
 * own (its ring size and wait strategy). One operation is one event; run with {@code -prof gc}
 * for the allocation per event. {@link UeventLatencyBenchmark} measures one event at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UeventPipelineBenchmark {
    static final int BATCH = 4096;

    private UeventReplay replay;
    private int next;

    @Setup(Level.Trial)
    public void setup() throws IOException, InterruptedException {
        replay = new UeventReplay();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        replay.close();
    }

    /** Publishes a batch of events (the producer waits whenever the ring is full) and waits until the last is decided. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void replay() {
        byte[][] m = replay.messages;
        int i = next;
        for (int n = 0; n < BATCH; n++) {
            byte[] msg = m[i];
            replay.pipeline.publish(msg, 0, msg.length, Origin.REPLAY);
            i = i + 1 == m.length ? 0 : i + 1;
        }
        next = i;
        replay.drain();
    }
}
