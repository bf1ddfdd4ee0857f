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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of one uevent through the daemon's pipeline (see {@link UeventReplay}): from the
 * producer's publish (parse into the ring) to the consumer having decided it (rules, resolution,
 * dispatch), the next of this machine's devices each time. Sampled (JMH {@code SampleTime}), so
 * the percentiles (p50, p99, p99.9) are per event. The producer spins while it waits so that the
 * timer sees the hand-off, not the scheduler's next slice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UeventLatencyBenchmark {
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

    /** Publishes one event and waits until it is decided. */
    @Benchmark
    public void oneEvent() {
        byte[] msg = replay.messages[next];
        next = next + 1 == replay.messages.length ? 0 : next + 1;
        replay.pipeline.publish(msg, 0, msg.length, Origin.REPLAY);
        while (!replay.pipeline.idle()) {
            Thread.onSpinWait();
        }
    }
}
