package org.autoprobe.daemon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.trie.TrieWriter;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.control.ControlException;
import org.autoprobe.daemon.control.ControlRequest;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.generation.GenerationLoader;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.sys.UnixDatagramSocket;
import org.autoprobe.daemon.testing.QueueSource;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads that block, fail or read half their sources: the daemon keeps working and always stops. */
class ReloadTest {
    private static final String E1000 = "pci:v00008086d00001234";

    @TempDir
    Path tmp;
    Path mods;
    Path conf;
    Path sys;
    final SharedKernel kernel = new SharedKernel();
    final QueueSource source = new QueueSource();

    private static void trie(Path file, String... kv) throws IOException {
        TrieWriter w = new TrieWriter();
        for (int i = 0; i < kv.length; i += 2) {
            w.add(kv[i], kv[i + 1], i / 2);
        }
        Files.write(file, w.toBytes());
    }

    private void aliasIndex() throws IOException {
        trie(mods.resolve("modules.alias.bin"), "pci:v00008086d*", "e1000");
    }

    @BeforeEach
    void tree() throws IOException {
        mods = Files.createDirectories(tmp.resolve("lib/modules/1.0"));
        conf = Files.createDirectories(tmp.resolve("modprobe.d"));
        sys = Files.createDirectories(tmp.resolve("sys"));
        Files.createDirectories(sys.resolve("devices"));
        trie(mods.resolve("modules.dep.bin"), "e1000", "kernel/e1000.ko:");
        aliasIndex();
        trie(mods.resolve("modules.symbols.bin"));
        trie(mods.resolve("modules.builtin.bin"));
    }

    private GenerationSources sources() {
        return new GenerationSources(mods, List.of(conf), List.of(), sys, null);
    }

    private DaemonOptions options(LongFunction<Generation> generations, String notifyAt, DaemonOptions.Reload reload) {
        return new DaemonOptions(sources(), generations, kernel, new ShellCommandRunner(), 1, Coldplug.Mode.WALK, null,
                false, notifyAt, Duration.ofSeconds(5), Duration.ofSeconds(2), () -> source, r -> { },
                DaemonOptions.DEFAULT_RING_SIZE, reload, null, DaemonOptions.BootPlanUse.CARRY_OUT_AND_WRITE, false);
    }

    private LongFunction<Generation> realFiles() {
        return new GenerationLoader(sources(), kernel)::load;
    }

    private static boolean await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static String status(Daemon d, String key) {
        return d.status().stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    /** A generation source that, from generation 2 on, blocks as open() of a FIFO does: interrupts do not help. */
    private static final class Blocking implements LongFunction<Generation> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong built = new AtomicLong();
        final InMemoryDatabase index = new InMemoryDatabase(Path.of("/lib/modules/9.9.9-test")).module("kernel/m.ko").alias("dev:x*", "m");

        @Override
        public Generation apply(long id) {
            if (id > 1) {
                entered.countDown();
                boolean interrupted = false;
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        interrupted = true; // ignored, as the kernel ignores it in open()
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            built.set(id);
            return TestGenerations.of(id, index, ModprobeConfig.EMPTY, kernel(), Path.of("/nonexistent-sys"));
        }

        private static org.autoprobe.core.resolve.ModuleState kernel() {
            return org.autoprobe.core.resolve.ModuleState.nothingLoaded();
        }
    }

    @Test
    void stopDoesNotWaitForABlockedReload() throws Exception {
        Blocking blocking = new Blocking();
        Daemon d = Daemon.start(options(blocking, null, DaemonOptions.Reload.DEFAULT));
        try {
            d.requestReload();
            assertTrue(blocking.entered.await(10, TimeUnit.SECONDS), "the reload is building");
            assertEquals("generation 2 since", status(d, "reload.running").substring(0, "generation 2 since".length()));
            long t0 = System.nanoTime();
            Thread stopper = new Thread(d::stop, "test-stop");
            stopper.start();
            stopper.join(10_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(stopper.isAlive(), "stop() returned");
            assertEquals(Daemon.State.STOPPED, d.state());
            assertTrue(ms < 2_000, "stopped within the stop wait (2 s) while a reload was blocked: " + ms + " ms");
            System.out.println("stop() with a blocked reload returned after " + ms + " ms");
            assertEquals(1, d.generation().id());
        } finally {
            blocking.release.countDown();
            d.stop();
        }
        // the blocked build ends later: its generation is thrown away
        assertTrue(await(() -> blocking.built.get() == 2, 5_000));
        Thread.sleep(50);
        assertEquals(1, d.generation().id());
    }

    @Test
    void aFifoInModprobeDNeitherBlocksTheReloadNorTheStop() throws Exception {
        Files.writeString(conf.resolve("a.conf"), "blacklist e1000e\n");
        Daemon d = Daemon.start(options(realFiles(), null, DaemonOptions.Reload.DEFAULT));
        try {
            Path fifo = conf.resolve("x.conf");
            Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertEquals(0, mk.waitFor());
            long t0 = System.nanoTime();
            Generation g = d.reload();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("reload with a FIFO in modprobe.d took " + ms + " ms");
            assertEquals(2, g.id());
            assertTrue(g.complete(), g.unreadable().toString());
            assertEquals(List.of(fifo + ": not a regular file (a FIFO), ignored"), g.problems());
            assertEquals(List.of("e1000"), g.resolver().resolve(E1000, true));
        } finally {
            long t0 = System.nanoTime();
            d.stop();
            System.out.println("stop() after it took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    @Test
    void aFirstGenerationSlowerThanTheReloadTimeoutIsWaitedForNotTheEndOfTheDaemon() throws Exception {
        // a slow machine (an emulated one under load took more than 30 s while the boot plan's loads ran)
        LongFunction<Generation> files = realFiles();
        Daemon d = Daemon.start(options(id -> {
            if (id == 1) {
                try {
                    Thread.sleep(900);
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted: the first generation was given up", e);
                }
            }
            return files.apply(id);
        }, null, new DaemonOptions.Reload(Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(400))));
        try {
            assertEquals(1, d.generation().id());
            assertTrue(d.generation().complete());
            assertEquals(List.of("e1000"), d.generation().resolver().resolve(E1000, true));
            assertEquals("ready", status(d, "state"));
        } finally {
            d.stop();
        }
    }

    @Test
    void aReloadOverItsTimeIsAbandonedTheControlSaysWhyAndSystemdHearsReadyAgain() throws Exception {
        Blocking blocking = new Blocking();
        String notifyAt = tmp.resolve("notify").toString();
        try (UnixDatagramSocket systemd = UnixDatagramSocket.bind(notifyAt)) {
            Daemon d = Daemon.start(options(blocking, notifyAt,
                    new DaemonOptions.Reload(Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofMillis(400))));
            try {
                while (systemd.receive(4096, 200) != null) {
                    // coldplug and ready
                }
                long t0 = System.nanoTime();
                ControlException e = assertThrows(ControlException.class,
                        () -> new DaemonControl(d).handle(ControlRequest.parse("reload", 0)));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 2_000, "answered after the 300 ms timeout, not hanging: " + ms + " ms");
                assertTrue(e.getMessage().startsWith("reload failed: generation 2 was not built within 300 ms"),
                        e.getMessage());
                assertTrue(e.getMessage().contains("still using generation 1"), e.getMessage());
                assertEquals(1, d.generation().id());
                assertEquals("1", status(d, "reload.failed"));
                assertTrue(status(d, "reload.last_failure").startsWith("generation 2 was not built within 300 ms"),
                        d.status().toString());
                assertEquals("1", status(d, "reload.abandoned"));
                String reloading = text(systemd.receive(4096, 5000));
                assertNotNull(reloading);
                assertTrue(reloading.startsWith("RELOADING=1\n"), reloading);
                String ready = text(systemd.receive(4096, 5000));
                assertNotNull(ready);
                assertTrue(ready.startsWith("READY=1\nSTATUS=ready: generation 1 (reload failed: generation 2 was not"
                        + " built within 300 ms"), ready);

                // retries also block and are abandoned; no more than two at once are left running
                assertTrue(await(() -> Long.parseLong(status(d, "reload.failed")) >= 4, 10_000), d.status().toString());
                assertTrue(Integer.parseInt(status(d, "reload.abandoned")) <= Reloader.MAX_ABANDONED, d.status().toString());
                String last = null;
                for (byte[] m; (m = systemd.receive(4096, 300)) != null; ) {
                    last = text(m);
                }
                // the reload is retried: the last thing systemd heard is READY=1 or, if a retry is
                // building right now, RELOADING=1 that its end will follow with READY=1
                assertNotNull(last);

                blocking.release.countDown();
                assertTrue(await(() -> d.generation().id() > 2, 10_000), "a retry got through: " + d.status());
                assertTrue(d.generation().id() > 2, "the abandoned generation 2 was never used");
                assertTrue(await(() -> "-".equals(status(d, "reload.running")), 5_000));
                String end = null;
                for (byte[] m; (m = systemd.receive(4096, 300)) != null; ) {
                    end = text(m);
                }
                assertNotNull(end);
                assertTrue(end.startsWith("READY=1\nSTATUS=ready: generation " + d.generation().id()), end);
            } finally {
                blocking.release.countDown();
                d.stop();
            }
        }
    }

    @Test
    void anIndexWithoutAliasesDoesNotReplaceAWorkingGenerationAndIsRetried() throws Exception {
        Daemon d = Daemon.start(options(realFiles(), null,
                new DaemonOptions.Reload(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(400))));
        try {
            assertEquals(List.of("e1000"), d.generation().resolver().resolve(E1000, true));
            Files.delete(mods.resolve("modules.alias.bin"));
            ReloadException e = assertThrows(ReloadException.class, d::reload);
            assertTrue(e.getMessage().startsWith("generation 2 could not read its sources: "
                    + mods.resolve("modules.alias.bin") + ": cannot read: no such file (run depmod)"), e.getMessage());
            assertTrue(e.getMessage().contains("; still using generation 1; retrying in 100 ms"), e.getMessage());
            assertEquals(1, d.generation().id());
            assertEquals(List.of("e1000"), d.generation().resolver().resolve(E1000, true), "lookups still answer");
            assertTrue(status(d, "reload.last_failure").contains("modules.alias.bin"), d.status().toString());
            assertNotNull(status(d, "reload.next_retry"));
            // retried with no request: 100, 200, 400, 400 ms ...
            assertTrue(await(() -> Long.parseLong(status(d, "reload.failed")) >= 3, 10_000), d.status().toString());
            assertEquals(1, d.generation().id());

            aliasIndex();
            assertTrue(await(() -> d.generation().id() > 1, 10_000), "a retry read the restored index: " + d.status());
            assertTrue(d.generation().complete());
            assertEquals(List.of("e1000"), d.generation().resolver().resolve(E1000, true));
            assertEquals("1", status(d, "reload.ok"));
            assertTrue(await(() -> status(d, "reload.next_retry") == null, 2_000), "no retry once complete");
        } finally {
            d.stop();
        }
    }

    @Test
    void aFirstStartWithAMissingIndexStartsDegradedAndIsRetried() throws Exception {
        Files.delete(mods.resolve("modules.alias.bin"));
        Daemon d = Daemon.start(options(realFiles(), null,
                new DaemonOptions.Reload(Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(200))));
        try {
            assertEquals(Daemon.State.READY, d.state());
            assertEquals(1, d.generation().id());
            assertFalse(d.generation().complete());
            assertEquals("1", status(d, "generation.unreadable"));
            assertEquals(mods.resolve("modules.alias.bin") + ": cannot read: no such file (run depmod)",
                    status(d, "generation.incomplete"));
            assertTrue(status(d, "reload.last_failure").startsWith("generation 1 incomplete: "), d.status().toString());
            assertEquals(List.of(), d.generation().resolver().resolve(E1000, true));

            aliasIndex();
            assertTrue(await(() -> d.generation().complete(), 10_000), d.status().toString());
            assertEquals(List.of("e1000"), d.generation().resolver().resolve(E1000, true));
            assertEquals(null, status(d, "generation.incomplete"));
        } finally {
            d.stop();
        }
    }

    @Test
    void badLinesAndSkippedFilesDoNotStopTheSwap() throws Exception {
        Daemon d = Daemon.start(options(realFiles(), null, DaemonOptions.Reload.DEFAULT));
        try {
            Files.writeString(conf.resolve("a.conf"), "blacklist e1000\nnonsense here\n");
            Files.createSymbolicLink(conf.resolve("z.conf"), Path.of("/dev/zero"));
            Generation g = d.reload();
            assertEquals(2, g.id());
            assertTrue(g.complete());
            assertEquals(2, g.problems().size(), g.problems().toString());
            assertEquals(List.of(), g.resolver().resolve(E1000, true), "the blacklist took effect");
            assertEquals("0", status(d, "reload.failed"));
            assertEquals("1", status(d, "reload.ok"));
        } finally {
            d.stop();
        }
    }

    @Test
    void aBuildThatThrowsKeepsTheOldGeneration() throws Exception {
        InMemoryDatabase index = new InMemoryDatabase(Path.of("/lib/modules/9.9.9-test")).module("kernel/m.ko");
        Daemon d = Daemon.start(options(id -> {
            if (id == 2) {
                throw new OutOfMemoryError("Java heap space");
            }
            return TestGenerations.of(id, index, kernel);
        }, null, new DaemonOptions.Reload(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60))));
        try {
            ReloadException e = assertThrows(ReloadException.class, d::reload);
            assertTrue(e.getMessage().startsWith("building generation 2 failed: java.lang.OutOfMemoryError: Java heap space;"
                    + " still using generation 1"), e.getMessage());
            assertEquals(1, d.generation().id());
            assertEquals(3, d.reload().id(), "a request retries at once");
        } finally {
            d.stop();
        }
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
