package org.autoprobe.daemon.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.KernelCall;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.testing.TestGenerations;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.ManagedStrategyGuaranteeKt;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.jetbrains.kotlinx.lincheck.verifier.EpsilonVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-flight load sharing of {@link LoadCoordinator}, under Lincheck: loads of two modules in
 * two generations, {@code settled}, the three {@code forget}s and the workers (an operation that
 * runs one queued load, so the test decides when a load runs) from several threads. The model
 * checker explores their interleavings systematically; the stress run uses real threads.
 *
 * <p>Results are not checked for linearizability: by design a load in flight is shared with
 * requests of a newer generation, which no one-at-a-time order explains. What is checked, after
 * every run (and during it, where noted): every caller got a future that completes with the load
 * of the module it asked for; one future per load started; never two loads of a module in flight
 * at once (during the run) nor two inserts at once; one insert per load started; a module inserted
 * twice in one generation only when a forget ran between; and requested = started + shared +
 * remembered, every started load finished, none left active.
 */
class LoadCoordinatorLincheckTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");
    /** {@code a} loads; {@code bad} fails with EPERM (remembered until forgetFailures). */
    private static final String[] MODULES = {"a", "bad"};
    private static final Generation[] GENERATIONS = new Generation[2];
    /** Test instances made (one per scenario run plus Lincheck's sequential replays). */
    static final AtomicLong INSTANCES = new AtomicLong();
    static final AtomicLong VALIDATIONS = new AtomicLong();

    static {
        // the plans never see a module live: every load that starts reaches the kernel's insert;
        // each generation's index lies in its own directory, so an insert's path tells its generation
        for (int g = 0; g < GENERATIONS.length; g++) {
            InMemoryDatabase index = new InMemoryDatabase(DIR.resolve("g" + (g + 1))).module("kernel/a.ko").module("kernel/bad.ko")
                    .alias("dev:a*", "a").alias("dev:bad*", "bad");
            GENERATIONS[g] = TestGenerations.of(g + 1, index, ModuleState.nothingLoaded());
        }
    }

    private static PrintStream savedErr;

    @BeforeAll
    static void quiet() {
        // Lincheck 2.39 walks the test instance's object graph with Unsafe to find the classes to
        // instrument, and Unsafe refuses the fields of records (the coordinator's ProbeFlags);
        // instrumenting every loaded class up front needs no such walk
        System.setProperty("lincheck.instrumentAllClasses", "true");
        // every failed load logs a warning (slf4j-simple writes to System.err as it is at the time)
        savedErr = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream(), true));
    }

    @AfterAll
    static void loud() {
        System.setErr(savedErr);
    }

    /** The scenario Lincheck runs: each instance is one coordinator with its own kernel and work queue. */
    @Param(name = "module", gen = IntGen.class, conf = "0:1")
    @Param(name = "generation", gen = IntGen.class, conf = "0:1")
    public static class Scenario {
        /** Orders inserts and the forget operations' starts and ends. */
        private final AtomicLong clock = new AtomicLong();
        private final ConcurrentLinkedQueue<long[]> forgets = new ConcurrentLinkedQueue<>();
        private final CountingKernel kernel = new CountingKernel(clock);
        private final DrivenExecutor workers = new DrivenExecutor();
        private final LoadCoordinator coordinator =
                new LoadCoordinator(kernel, new ShellCommandRunner(), workers, r -> { });
        /** Every future a load call returned, with the module asked for. */
        private final Map<CompletableFuture<LoadResult>, String> futures =
                Collections.synchronizedMap(new IdentityHashMap<>());
        private final AtomicInteger startedCalls = new AtomicInteger();
        private final AtomicInteger joinedCalls = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        public Scenario() {
            INSTANCES.incrementAndGet();
        }

        /** {@code started}: this call started the module's load; {@code joined}: it got a load already there. */
        @Operation
        public String load(@Param(name = "module") int m, @Param(name = "generation") int g) {
            String module = MODULES[m];
            workers.submittedHere.set(false);
            CompletableFuture<LoadResult> f = coordinator.load(
                    new LoadRequest(module, "dev:" + module, "/devices/d" + m, "dev:" + module, "uevent"), GENERATIONS[g]);
            boolean started = workers.submittedHere.get();
            synchronized (futures) {
                String before = futures.put(f, module);
                if (before != null && !before.equals(module)) {
                    violations.add("one future for " + before + " and " + module);
                }
                for (Map.Entry<CompletableFuture<LoadResult>, String> e : futures.entrySet()) {
                    if (e.getKey() != f && e.getValue().equals(module) && !e.getKey().isDone() && !f.isDone()) {
                        violations.add("two loads of " + module + " in flight at once");
                    }
                }
            }
            (started ? startedCalls : joinedCalls).incrementAndGet();
            return started ? "started" : "joined";
        }

        @Operation
        public boolean settled(@Param(name = "module") int m, @Param(name = "generation") int g) {
            return coordinator.settled(MODULES[m], GENERATIONS[g].id());
        }

        @Operation
        public void forget(@Param(name = "module") int m) {
            long start = clock.incrementAndGet();
            coordinator.forget(MODULES[m]);
            forgets.add(new long[] {start, clock.incrementAndGet()});
        }

        @Operation
        public void forgetFailures() {
            long start = clock.incrementAndGet();
            coordinator.forgetFailures();
            forgets.add(new long[] {start, clock.incrementAndGet()});
        }

        @Operation
        public void forgetSettled() {
            long start = clock.incrementAndGet();
            coordinator.forgetSettled();
            forgets.add(new long[] {start, clock.incrementAndGet()});
        }

        /**
         * A worker takes the oldest queued load, if any, and runs it. It answers nothing: the
         * coordinator queues a load just after it made the module's entry, so whether the queue
         * held it yet is not part of the contract (a caller that joined has the future either way).
         */
        @Operation
        public void work() {
            Runnable r = workers.queue.poll();
            if (r != null) {
                r.run();
            }
        }

        @Validate
        public void check() {
            VALIDATIONS.incrementAndGet();
            for (Runnable r = workers.queue.poll(); r != null; r = workers.queue.poll()) {
                r.run();
            }
            List<String> problems = new ArrayList<>(violations);
            problems.addAll(kernel.violations);
            Map<String, Integer> loadsStarted = new java.util.TreeMap<>();
            synchronized (futures) {
                for (Map.Entry<CompletableFuture<LoadResult>, String> e : futures.entrySet()) {
                    CompletableFuture<LoadResult> f = e.getKey();
                    if (!f.isDone() || f.isCompletedExceptionally()) {
                        problems.add("a load of " + e.getValue() + " never finished: " + f);
                        continue;
                    }
                    LoadResult r = f.join();
                    if (!r.request().module().equals(e.getValue())) {
                        problems.add("asked for " + e.getValue() + ", got the load of " + r.request().module());
                    }
                    loadsStarted.merge(e.getValue(), 1, Integer::sum);
                }
                if (futures.size() != startedCalls.get()) {
                    problems.add(startedCalls.get() + " calls started a load but " + futures.size()
                            + " different futures were handed out");
                }
            }
            // a module is inserted again in the same generation only if a forget could have removed
            // the earlier load: one that started before the later insert and ended after the earlier
            for (String m : MODULES) {
                List<long[]> seq = kernel.sequence(m);
                for (int i = 1; i < seq.size(); i++) {
                    long[] before = seq.get(i - 1);
                    long[] after = seq.get(i);
                    boolean forgotten = forgets.stream().anyMatch(f -> f[0] < after[1] && f[1] > before[1]);
                    if (before[0] == after[0] && !forgotten) {
                        problems.add(m + " inserted twice in generation " + after[0] + " with no forget between");
                    }
                }
            }
            for (String m : MODULES) {
                int inserts = kernel.inserts(m);
                int started = loadsStarted.getOrDefault(m, 0);
                if (inserts != started) {
                    problems.add(m + ": " + inserts + " inserts for " + started + " loads started");
                }
            }
            LoadCounters c = coordinator.counters();
            long requested = c.requested.sum();
            if (requested != startedCalls.get() + joinedCalls.get()) {
                problems.add("requested " + requested + " for " + (startedCalls.get() + joinedCalls.get()) + " calls");
            }
            if (requested != c.started.sum() + c.shared.sum() + c.remembered.sum()) {
                problems.add("requested " + requested + " != started " + c.started.sum() + " + shared "
                        + c.shared.sum() + " + remembered " + c.remembered.sum());
            }
            if (c.started.sum() != startedCalls.get()) {
                problems.add("started counter " + c.started.sum() + " for " + startedCalls.get() + " loads started");
            }
            long finished = c.loaded.sum() + c.alreadyLoaded.sum() + c.blacklisted.sum() + c.notFound.sum()
                    + c.failed.sum();
            if (finished != c.started.sum() || coordinator.active() != 0) {
                problems.add(finished + " loads finished of " + c.started.sum() + " started, " + coordinator.active()
                        + " still active");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
        }
    }

    /** Runs nothing by itself: {@link Scenario#work()} takes the queued loads one at a time. */
    static final class DrivenExecutor extends AbstractExecutorService {
        final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        /** Whether the calling thread's last load queued work (the coordinator queues only a load it started). */
        final ThreadLocal<Boolean> submittedHere = ThreadLocal.withInitial(() -> false);

        @Override
        public void execute(Runnable command) {
            submittedHere.set(true);
            queue.add(command);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /**
     * Inserts succeed (but for {@code bad}: EPERM) and nothing ever shows live, so every load that
     * runs calls insert; counts them, and notes an insert of a module while another one of it runs.
     */
    static final class CountingKernel implements Kernel {
        private final AtomicLong clock;
        private final Map<String, AtomicInteger> inserts = new ConcurrentHashMap<>();
        /** Per module, each insert's generation and time, in order. */
        private final Map<String, List<long[]>> sequence = new ConcurrentHashMap<>();

        CountingKernel(AtomicLong clock) {
            this.clock = clock;
        }

        synchronized List<long[]> sequence(String module) {
            return new ArrayList<>(sequence.getOrDefault(module, List.of()));
        }
        private final Set<String> running = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

        int inserts(String module) {
            AtomicInteger n = inserts.get(module);
            return n == null ? 0 : n.get();
        }

        @Override
        public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
            String name = ModuleNames.fromPath(file);
            if (!running.add(name)) {
                violations.add("two inserts of " + name + " at once");
            }
            try {
                long generation = file.startsWith(DIR.resolve("g1")) ? 1 : 2;
                synchronized (this) {
                    sequence.computeIfAbsent(name, k -> new ArrayList<>()).add(new long[] {generation, clock.incrementAndGet()});
                }
                inserts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                if (name.equals("bad")) {
                    throw KernelCall.FINIT_MODULE.failure(name, Errno.EPERM);
                }
            } finally {
                running.remove(name);
            }
        }

        @Override
        public void remove(String name, boolean force) throws SyscallException {
            throw KernelCall.DELETE_MODULE.failure(name, Errno.EPERM);
        }

        @Override
        public List<LoadedModule> loaded() {
            return List.of();
        }

        @Override
        public Optional<InitState> initState(String name) {
            return Optional.empty();
        }

        @Override
        public OptionalInt refcount(String name) {
            return OptionalInt.empty();
        }

        @Override
        public List<String> holders(String name) {
            return List.of();
        }

        @Override
        public OptionalLong size(String name) {
            return OptionalLong.empty();
        }

        @Override
        public Map<String, String> parameters(String name) {
            return Map.of();
        }
    }

    @Test
    void modelCheckingFindsNoInterleavingThatBreaksTheSharing() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .verifier(EpsilonVerifier.class)
                .iterations(4)
                .invocationsPerIteration(30)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .minimizeFailedScenario(false)
                // planning and the kernel call are one step each for the scheduler: the sharing is
                // what is explored, not the resolver's insides
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(
                        c -> c.startsWith("org.autoprobe.core.") || c.startsWith("org.autoprobe.rules.")
                                || c.startsWith("org.autoprobe.daemon.testing.") || c.startsWith("org.slf4j."))
                        .allMethods().treatAsAtomic());
        LinChecker.check(Scenario.class, options);
        // the model checker restores static fields after each run, so it cannot be counted here
        savedErr.println("LoadCoordinator lincheck model checking: 4 scenarios of 2 threads x 3 operations"
                + " (+2 before, +1 after), up to 30 interleavings each");
    }

    @Test
    void stressOnRealThreadsFindsNothingEither() {
        long before = INSTANCES.get();
        long validated = VALIDATIONS.get();
        StressOptions options = new StressOptions()
                .verifier(EpsilonVerifier.class)
                .iterations(30)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(4)
                .actorsBefore(2)
                .actorsAfter(1);
        LinChecker.check(Scenario.class, options);
        report("stress", before, validated);
    }

    private static void report(String mode, long instancesBefore, long validationsBefore) {
        long validated = VALIDATIONS.get() - validationsBefore;
        assertTrue(validated > 0, "the checks after each run ran");
        savedErr.println("LoadCoordinator lincheck " + mode + ": " + validated + " scenario runs validated, "
                + (INSTANCES.get() - instancesBefore) + " coordinator instances");
    }
}
