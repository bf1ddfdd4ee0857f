package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.daemon.testing.Uevents;
import org.junit.jupiter.api.Test;

class GenerationSwapTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");

    @Test
    void inFlightWorkFinishesOnTheOldGenerationAndNewEventsUseTheNewOne() throws Exception {
        InMemoryDatabase oldIndex = new InMemoryDatabase(DIR).module("kernel/old/m.ko").alias("dev:x*", "m");
        InMemoryDatabase newIndex = new InMemoryDatabase(DIR).module("kernel/new/m.ko").module("kernel/new/n.ko")
                .alias("dev:x*", "m").alias("dev:y*", "n");
        SharedKernel kernel = new SharedKernel().define(DIR.resolve("kernel/old/m.ko"), "m")
                .define(DIR.resolve("kernel/new/m.ko"), "m").define(DIR.resolve("kernel/new/n.ko"), "n");
        AtomicReference<Generation> current = new AtomicReference<>(TestGenerations.of(1, oldIndex, kernel));
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        LoadCoordinator coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, results::add);
        UeventPipeline pipeline = new UeventPipeline(current::get, coordinator).start();
        CountDownLatch release = kernel.hold("m");
        publish(pipeline, Uevents.add("/devices/1", "t", "dev:x1"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (coordinator.active() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(1, coordinator.active(), "the first load is in flight");

        current.set(TestGenerations.of(2, newIndex, kernel));
        publish(pipeline, Uevents.add("/devices/2", "t", "dev:x2"));
        publish(pipeline, Uevents.add("/devices/3", "t", "dev:y3"));
        // the load may only finish once the event after the swap has reached the coordinator
        deadline = System.nanoTime() + 10_000_000_000L;
        while (coordinator.counters().shared.sum() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        release.countDown();
        assertTrue(pipeline.awaitIdle(Duration.ofSeconds(10)));

        LoadResult m = results.stream().filter(r -> r.request().module().equals("m")).findFirst().orElseThrow();
        assertEquals(1, m.generation(), "planned on the generation it started with");
        assertEquals(List.of("insmod " + DIR.resolve("kernel/old/m.ko") + " "), m.steps());
        assertEquals(1, coordinator.counters().shared.sum(), "the event after the swap joined the running load");
        LoadResult n = results.stream().filter(r -> r.request().module().equals("n")).findFirst().orElseThrow();
        assertEquals(2, n.generation());

        // a settled load of the old generation is planned again on the new one: the kernel has it
        publish(pipeline, Uevents.add("/devices/4", "t", "dev:x4"));
        assertTrue(pipeline.awaitIdle(Duration.ofSeconds(10)));
        LoadResult again = results.get(results.size() - 1);
        assertEquals("m", again.request().module());
        assertEquals(2, again.generation());
        assertEquals(LoadResult.Status.ALREADY_LOADED, again.status());
        // m and n are independent loads running in parallel: which finishes first is not defined
        assertEquals(List.of("m", "n"), kernel.inserted().stream().sorted().toList());
        pipeline.shutdown(Duration.ofSeconds(5));
        coordinator.shutdown(Duration.ofSeconds(5));
    }

    private static void publish(UeventPipeline p, byte[] m) {
        assertTrue(p.publish(m, 0, m.length, Origin.REPLAY));
    }
}
