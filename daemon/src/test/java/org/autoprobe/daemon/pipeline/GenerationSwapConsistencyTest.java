package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.load.RecordingKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.daemon.testing.Uevents;
import org.autoprobe.rules.modprobe.ModprobeConfigParser;
import org.junit.jupiter.api.Test;

/**
 * Reloads while lookups and loads stream: two kinds of generation (index A with no configuration,
 * index B with a configuration that blacklists one module and aliases another) answer every alias
 * differently, and are swapped in turn, a new generation each time, while threads look up batches
 * of aliases (as {@code autoprobe status resolve} does), the pipeline takes events from two
 * producers, and loads run. Every batch, every event's decisions and every load must come
 * entirely from one generation: the expected answers of its kind, and its index's files.
 */
class GenerationSwapConsistencyTest {
    private static final int ALIASES = 12;
    private static final Path DIR_A = Path.of("/lib/modules/9.9.9-a");
    private static final Path DIR_B = Path.of("/lib/modules/9.9.9-b");
    private static final int SWAPS = 150;

    private static String alias(int i) {
        return "dev:k" + i;
    }

    private static InMemoryDatabase indexA() {
        InMemoryDatabase index = new InMemoryDatabase(DIR_A).module("kernel/a/ca.ko");
        for (int i = 0; i < ALIASES; i++) {
            index.module("kernel/a/m" + i + ".ko").alias(alias(i), "m" + i);
        }
        return index.alias("dev:k*", "ca");
    }

    /** Every alias answers a different module than in A; the configuration blacklists m3 and aliases dev:k7. */
    private static InMemoryDatabase indexB() {
        InMemoryDatabase index = new InMemoryDatabase(DIR_B).module("kernel/b/cb.ko").module("kernel/b/cfg7.ko");
        for (int i = 0; i < ALIASES; i++) {
            index.module("kernel/b/m" + i + ".ko").alias(alias(i), "m" + ((i + 1) % ALIASES));
        }
        return index.alias("dev:k*", "cb");
    }

    private static ModprobeConfig configB() {
        return ModprobeConfigParser.parse("swap.conf", List.of("blacklist m3", "alias dev:k7 cfg7"), w -> {
            throw new AssertionError(w);
        });
    }

    @Test
    void everyLookupEventAndLoadAnswersFromOneWholeGeneration() throws Exception {
        InMemoryDatabase a = indexA();
        InMemoryDatabase b = indexB();
        ModprobeConfig configB = configB();
        RecordingKernel kernel = new RecordingKernel(ModuleState.nothingLoaded());
        // the generations, built up front: odd ids are A's, even ids B's
        List<Generation> generations = new ArrayList<>();
        for (int id = 1; id <= SWAPS + 1; id++) {
            generations.add(id % 2 == 1 ? TestGenerations.of(id, a, kernel)
                    : TestGenerations.of(id, b, configB, kernel, Path.of("/nonexistent-sys")));
        }
        // what each kind answers, asked one at a time before anything runs (uncached resolvers)
        List<List<String>> expectA = new ArrayList<>();
        List<List<String>> expectB = new ArrayList<>();
        for (int i = 0; i < ALIASES; i++) {
            expectA.add(generations.get(0).resolver().resolver().resolve(alias(i), true));
            expectB.add(generations.get(1).resolver().resolver().resolve(alias(i), true));
            assertNotEquals(expectA.get(i), expectB.get(i), "the two kinds must differ for " + alias(i));
        }
        assertEquals(List.of("ca", "m0"), expectA.get(0).stream().sorted().toList());
        assertFalse(expectB.get(2).contains("m3"), "B's configuration blacklists m3: " + expectB.get(2));
        assertEquals("cfg7", expectB.get(7).get(0), "B's configuration aliases dev:k7: " + expectB.get(7));
        List<List<List<String>>> expect = List.of(expectB, expectA);

        AtomicReference<Generation> current = new AtomicReference<>(generations.get(0));
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        Set<Long> eventGenerations = ConcurrentHashMap.newKeySet();
        Set<Long> batchGenerations = ConcurrentHashMap.newKeySet();
        Set<Long> loadGenerations = ConcurrentHashMap.newKeySet();
        AtomicLong events = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        LoadCoordinator coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, r -> {
            long g = r.generation();
            loadGenerations.add(g);
            Path dir = g % 2 == 1 ? DIR_A : DIR_B;
            List<String> kind = new ArrayList<>();
            expect.get((int) (g % 2)).forEach(kind::addAll);
            if (!kind.contains(r.request().module())) {
                wrong.add("generation " + g + " loaded " + r.request().module() + ", not one of its answers");
            }
            for (String step : r.steps()) {
                if (!step.startsWith("insmod " + dir + "/")) {
                    wrong.add("generation " + g + " ran " + step);
                }
            }
            if (!r.ok()) {
                wrong.add("load failed: " + r);
            }
        });
        UeventPipeline pipeline = new UeventPipeline(current::get, coordinator).start();
        pipeline.listen(ev -> {
            events.incrementAndGet();
            long g = ev.generation().id();
            eventGenerations.add(g);
            String target = ev.asked().get(0);
            int i = Integer.parseInt(target.substring("dev:k".length()));
            List<String> want = expect.get((int) (g % 2)).get(i);
            if (!want.equals(ev.modules()) || ev.asked().size() != 1) {
                wrong.add("event for " + target + " in generation " + g + " decided " + ev.asked() + " -> "
                        + ev.modules() + ", expected " + want);
            }
        });

        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int producer = t;
            threads.add(new Thread(() -> {
                int n = 0;
                while (!stop.get()) {
                    int i = n % ALIASES;
                    byte[] m = Uevents.add("/devices/p" + producer + "/d" + (n++ % 64), "t", alias(i));
                    pipeline.publish(m, 0, m.length, Origin.REPLAY);
                }
            }, "swap-producer-" + t));
        }
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    Generation g = current.get();
                    List<List<String>> want = expect.get((int) (g.id() % 2));
                    int start = ThreadLocalRandom.current().nextInt(ALIASES);
                    for (int k = 0; k < ALIASES; k++) {
                        int i = (start + k) % ALIASES;
                        List<String> got = g.resolver().resolve(alias(i), true);
                        if (!got.equals(want.get(i))) {
                            wrong.add("batch in generation " + g.id() + ": " + alias(i) + " -> " + got);
                        }
                    }
                    batchGenerations.add(g.id());
                    batches.incrementAndGet();
                }
            }, "swap-lookups-" + t));
        }
        threads.forEach(Thread::start);
        for (int s = 1; s <= SWAPS; s++) {
            Thread.sleep(3);
            current.set(generations.get(s));
        }
        Thread.sleep(20);
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName());
        }
        assertTrue(pipeline.awaitIdle(Duration.ofSeconds(20)), "the pipeline settles");
        pipeline.shutdown(Duration.ofSeconds(5));
        coordinator.shutdown(Duration.ofSeconds(5));

        assertTrue(wrong.isEmpty(), wrong.size() + " inconsistent answers, e.g. " + wrong.stream().limit(5).toList());
        // the hammering did overlap the swaps: many generations of both kinds were seen
        assertTrue(eventGenerations.size() >= 10, "events saw " + eventGenerations.size() + " generations");
        assertTrue(batchGenerations.size() >= 10, "lookups saw " + batchGenerations.size() + " generations");
        assertTrue(eventGenerations.stream().anyMatch(g -> g % 2 == 0) && eventGenerations.stream().anyMatch(g -> g % 2 == 1));
        assertTrue(loadGenerations.stream().anyMatch(g -> g % 2 == 0) && loadGenerations.stream().anyMatch(g -> g % 2 == 1),
                "loads planned on both kinds: " + loadGenerations);
        System.out.println("generation swap: " + SWAPS + " swaps, " + events.get() + " events over "
                + eventGenerations.size() + " generations, " + batches.get() + " lookup batches over "
                + batchGenerations.size() + " generations, loads planned on " + loadGenerations.size()
                + " generations, " + kernel.calls().size() + " inserts");
    }
}
