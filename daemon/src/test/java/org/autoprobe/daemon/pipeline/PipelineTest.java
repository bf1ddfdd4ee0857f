package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.testing.QueueSource;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.daemon.testing.Uevents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SharedKernel kernel = new SharedKernel();
    private final List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private LoadCoordinator coordinator;
    private UeventPipeline pipeline;

    private void start(InMemoryDatabase index, int workers) {
        current.set(TestGenerations.of(1, index, kernel));
        coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), workers, results::add);
        pipeline = new UeventPipeline(current::get, coordinator).start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.shutdown(WAIT);
            coordinator.shutdown(WAIT);
        }
    }

    private void publish(byte[] m) {
        assertTrue(pipeline.publish(m, 0, m.length, Origin.REPLAY), "a uevent");
    }

    private InMemoryDatabase index() {
        return new InMemoryDatabase(DIR);
    }

    private void define(InMemoryDatabase index, String name) {
        index.module("kernel/" + name + ".ko");
        kernel.define(index.file("kernel/" + name + ".ko"), name);
    }

    @Test
    void aBlacklistedModuleIsCountedForEveryDeviceAndNeverLoaded() throws Exception {
        InMemoryDatabase index = index();
        define(index, "8139cp");
        define(index, "8139too");
        index.alias("pci:v000010ECd00008139sv*", "8139cp").alias("pci:v000010ECd00008139sv*", "8139too");
        org.autoprobe.core.config.ModprobeConfig config = org.autoprobe.rules.modprobe.ModprobeConfigParser.parse("bl.conf",
                List.of("blacklist 8139cp"), w -> { throw new AssertionError(w); });
        current.set(TestGenerations.of(1, index, config, kernel, Path.of("/nonexistent-sys")));
        coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, results::add);
        pipeline = new UeventPipeline(current::get, coordinator).start();
        for (int slot = 3; slot < 6; slot++) {
            publish(Uevents.add("/devices/pci0000:00/0000:00:0" + slot + ".0", "pci", "pci:v000010ECd00008139sv0sd0bc02sc00i00"));
        }
        assertTrue(pipeline.awaitIdle(WAIT));
        assertEquals(List.of("finit_module 8139too  0"), kernel.calls(), "the blacklisted one never reaches the kernel");
        assertEquals(3, coordinator.counters().blacklisted.sum(), "one per device that wanted it");
    }

    @Test
    void theSameModuleWantedBy64DevicesIsLoadedOnce() throws Exception {
        InMemoryDatabase index = index();
        define(index, "acpi_cpufreq");
        index.alias("cpu:type:x86,ven*fam*mod*:feature:*0016*", "acpi_cpufreq");
        CountDownLatch release = kernel.hold("acpi_cpufreq");
        start(index, 4);
        for (int cpu = 0; cpu < 64; cpu++) {
            publish(Uevents.add("/devices/system/cpu/cpu" + cpu, "cpu",
                    "cpu:type:x86,ven0000fam0006mod003A:feature:,0000,0001,0016,"));
        }
        release.countDown();
        assertTrue(pipeline.awaitIdle(WAIT));
        assertEquals(List.of("finit_module acpi_cpufreq  0"), kernel.calls());
        assertEquals(1, results.size());
        assertEquals(LoadResult.Status.LOADED, results.get(0).status());
        assertEquals("/devices/system/cpu/cpu0", results.get(0).request().devpath());
        assertEquals(64, coordinator.counters().requested.sum());
        assertEquals(1, coordinator.counters().started.sum());
        assertEquals(63, coordinator.counters().shared.sum() + coordinator.counters().remembered.sum());
    }

    @Test
    void aRepeatedEventAllocatesNothingOnTheConsumerThreadOnceItsTextsAndAnswersAreKnown() throws Exception {
        InMemoryDatabase index = index();
        define(index, "e1000e");
        index.alias("pci:v00008086d000015BCsv*", "e1000e");
        start(index, 2);
        AtomicReference<Thread> consumer = new AtomicReference<>();
        pipeline.listen(ev -> consumer.set(Thread.currentThread()));
        List<byte[]> storm = List.of(
                Uevents.add("/devices/pci0000:00/0000:00:1f.6", "pci", "pci:v00008086d000015BCsv000017AAsd00002292"),
                Uevents.message("add", "/devices/pci0000:00/0000:00:14.0/usb1/1-1", "usb", "DEVTYPE=usb_device"),
                Uevents.message("add", "/devices/virtual/block/cciss!c0d0", "block"),
                Uevents.message("change", "/devices/system/cpu/cpu0", "cpu", "MODALIAS=cpu:type:x86"),
                Uevents.message("remove", "/devices/virtual/net/lo", "net", "INTERFACE=lo"));
        for (int round = 0; round < 3000; round++) {
            for (byte[] m : storm) {
                publish(m);
            }
        }
        assertTrue(pipeline.awaitIdle(WAIT));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = consumer.get().getId();
        // a window may see the JIT at work (a deoptimization re-creates objects it had elided);
        // an allocation per event would show in every window, as 5000 objects at least
        List<Long> windows = new ArrayList<>();
        for (int w = 0; w < 5 && !windows.contains(0L); w++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int round = 0; round < 1000; round++) {
                for (byte[] m : storm) {
                    publish(m);
                }
            }
            assertTrue(pipeline.awaitIdle(WAIT));
            windows.add(threads.getThreadAllocatedBytes(id) - before);
        }
        assertTrue(windows.contains(0L), "bytes allocated per window of 5000 events: " + windows);
        assertEquals(List.of("finit_module e1000e  0"), kernel.calls());
    }

    @Test
    void anIdleConsumerSleepsAndTheNextEventWakesIt() throws Exception {
        InMemoryDatabase index = index();
        define(index, "e1000e");
        index.alias("pci:v00008086d000015BCsv*", "e1000e");
        start(index, 1);
        AtomicReference<Thread> consumer = new AtomicReference<>();
        CountDownLatch second = new CountDownLatch(2);
        pipeline.listen(ev -> {
            consumer.set(Thread.currentThread());
            second.countDown();
        });
        publish(Uevents.add("/devices/pci0000:00/0000:00:1f.6", "pci", "pci:v00008086d000015BCsv1"));
        assertTrue(pipeline.awaitIdle(WAIT));
        Thread.sleep(50);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long id = consumer.get().getId();
        long cpu = threads.getThreadCpuTime(id);
        Thread.sleep(300);
        long used = threads.getThreadCpuTime(id) - cpu;
        assertTrue(used < 30_000_000L, "the idle consumer used " + used / 1_000_000 + " ms of CPU in 300 ms");
        publish(Uevents.add("/devices/pci0000:00/0000:00:1f.7", "pci", "pci:v00008086d000015BCsv2"));
        assertTrue(second.await(10, java.util.concurrent.TimeUnit.SECONDS), "woken by the next event");
        assertEquals(Thread.State.WAITING, waitUntilParked(consumer.get()), "asleep again");
    }

    private static Thread.State waitUntilParked(Thread t) throws InterruptedException {
        for (int i = 0; i < 500 && t.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(10);
        }
        return t.getState();
    }

    @Test
    void eventsOfOneDevicePathStayInOrderWhileOthersGoOn() throws Exception {
        InMemoryDatabase index = index();
        for (String m : List.of("slow", "after_slow", "elsewhere")) {
            define(index, m);
            index.alias("t:" + m, m);
        }
        CountDownLatch release = kernel.hold("slow");
        start(index, 4);
        CountDownLatch elsewhere = new CountDownLatch(1);
        kernel.onInsert(name -> {
            if (name.equals("elsewhere")) {
                elsewhere.countDown();
            }
        });
        publish(Uevents.add("/devices/a", "t", "t:slow"));
        publish(Uevents.add("/devices/a", "t", "t:after_slow"));
        publish(Uevents.add("/devices/b", "t", "t:elsewhere"));
        assertTrue(elsewhere.await(10, java.util.concurrent.TimeUnit.SECONDS), "another path is not held up");
        Thread.sleep(100);
        assertEquals(List.of("elsewhere"), kernel.inserted(), "after_slow must wait for slow");
        release.countDown();
        assertTrue(pipeline.awaitIdle(WAIT));
        assertEquals(List.of("elsewhere", "slow", "after_slow"), kernel.inserted());
    }

    @Test
    void aFailedLoadIsReportedOnceCountedAndThePipelineGoesOn() throws Exception {
        InMemoryDatabase index = index();
        define(index, "broken");
        define(index, "fine");
        index.alias("usb:v1234*", "broken");
        index.alias("usb:v5678*", "fine");
        kernel.failInsert("broken", Errno.EPERM);
        start(index, 2);
        for (int port = 0; port < 20; port++) {
            publish(Uevents.add("/devices/usb1/1-" + port, "usb", "usb:v1234p0001"));
        }
        publish(Uevents.add("/devices/usb2/2-1", "usb", "usb:v5678p0001"));
        assertTrue(pipeline.awaitIdle(WAIT));
        assertEquals(1, coordinator.counters().failed.sum());
        List<LoadResult> failed = results.stream().filter(r -> !r.ok()).toList();
        assertEquals(1, failed.size());
        LoadResult f = failed.get(0);
        assertEquals("broken", f.request().module());
        assertEquals("/devices/usb1/1-0", f.request().devpath());
        assertEquals("usb:v1234p0001", f.request().modalias());
        assertEquals(Errno.EPERM, f.errno());
        assertTrue(f.detail().contains("finit_module(broken)") && f.detail().contains("EPERM"), f.detail());
        assertEquals("failed: EPERM", f.statusText());
        assertEquals(List.of("fine"), kernel.inserted());
        long finitBroken = kernel.calls().stream().filter(c -> c.startsWith("finit_module broken")).count();
        assertEquals(1, finitBroken, "tried once for 20 ports");
    }

    @Test
    void aStageThatThrowsMarksTheEventFailedAndGoesOn() throws Exception {
        InMemoryDatabase index = index().explodeOn(k -> k.startsWith("boom"));
        define(index, "good");
        index.alias("good:*", "good");
        start(index, 1);
        publish(Uevents.add("/devices/x", "t", "boom:1"));
        publish(Uevents.add("/devices/y", "t", "good:1"));
        publish(Uevents.add("/devices/z", "t", "boom:2"));
        assertTrue(pipeline.awaitIdle(WAIT));
        assertEquals(2, pipeline.counters().failed());
        assertEquals(List.of("good"), kernel.inserted());
    }

    @Test
    void aMalformedMessageIsCountedAndSkipped() throws Exception {
        start(index(), 1);
        byte[] junk = "this is not a uevent at all, not even close\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(pipeline.publish(junk, 0, junk.length, Origin.REPLAY));
        assertTrue(pipeline.awaitIdle(WAIT));
        assertEquals(1L, pipeline.counters().snapshot().get("events.malformed"));
        assertEquals(0, pipeline.counters().failed());
    }

    @Test
    void aDriverThatCreatesChildDevicesGetsTheirDriversLoadedToo() throws Exception {
        InMemoryDatabase index = index();
        define(index, "bus_host");
        define(index, "child_drv");
        define(index, "grandchild_drv");
        index.alias("pci:v00008086d00001234*", "bus_host");
        index.alias("mybus:child*", "child_drv");
        index.alias("mybus:grand*", "grandchild_drv");
        start(index, 2);
        QueueSource source = new QueueSource();
        kernel.onInsert(name -> {
            if (name.equals("bus_host")) {
                for (int i = 0; i < 3; i++) {
                    source.kernelSends(Uevents.add("/devices/pci0000:00/0000:00:01.0/mybus" + i, "mybus", "mybus:child" + i));
                }
            } else if (name.equals("child_drv")) {
                source.kernelSends(Uevents.add("/devices/pci0000:00/0000:00:01.0/mybus0/leaf", "mybus", "mybus:grand"));
            }
        });
        UeventReader reader = new UeventReader(source, pipeline, () -> { });
        Thread t = new Thread(reader, "test-socket");
        t.start();
        source.kernelSends(Uevents.add("/devices/pci0000:00/0000:00:01.0", "pci", "pci:v00008086d00001234sv0sd0bc02sc00i00"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (kernel.inserted().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(pipeline.awaitIdle(WAIT));
        source.close();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(List.of("bus_host", "child_drv", "grandchild_drv"), kernel.inserted());
        assertEquals(5, pipeline.counters().published(Origin.KERNEL));
    }

    @Test
    void anOverflowAsksForAResync() throws Exception {
        start(index(), 1);
        QueueSource source = new QueueSource();
        CountDownLatch resynced = new CountDownLatch(1);
        Thread t = new Thread(new UeventReader(source, pipeline, resynced::countDown));
        t.start();
        source.overflow();
        assertTrue(resynced.await(10, java.util.concurrent.TimeUnit.SECONDS));
        source.close();
        t.join(10_000);
    }
}
