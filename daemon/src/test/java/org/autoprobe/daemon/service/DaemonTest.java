package org.autoprobe.daemon.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.core.testing.SysTree;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.control.ControlClient;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.sys.UnixDatagramSocket;
import org.autoprobe.daemon.testing.QueueSource;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.daemon.testing.Uevents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");

    @TempDir
    Path root;

    private void device(String devpath, String subsystem, String uevent) throws IOException {
        new SysTree(root).device(devpath, subsystem, uevent);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void readyAtStartTellsSystemdBeforeTheFirstGenerationAndColdplugThenAgainWhenSettled() throws Exception {
        device("/devices/pci0000:00/0000:00:03.0", "pci", "MODALIAS=pci:v000010ECd00008139sv0sd0bc02sc00i00\n");
        InMemoryDatabase index = new InMemoryDatabase(DIR).module("kernel/8139cp.ko").alias("pci:v000010ECd00008139sv*", "8139cp");
        SharedKernel kernel = new SharedKernel().define(index.file("kernel/8139cp.ko"), "8139cp");
        Path sys = root.resolve("sys");
        String notifyAt = root.resolve("notify").toString();
        java.util.concurrent.CountDownLatch building = new java.util.concurrent.CountDownLatch(1);
        GenerationSources sources = new GenerationSources(DIR, List.of(), List.of(), sys, null);
        DaemonOptions options = new DaemonOptions(sources, id -> {
            try {
                building.await(); // generation 1 is built only once the test has heard READY=1
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return TestGenerations.of(id, index, ModprobeConfig.EMPTY, kernel, sys);
        }, kernel, new ShellCommandRunner(), 2, Coldplug.Mode.WALK, null, false, notifyAt, Duration.ofSeconds(10),
                Duration.ofSeconds(5), QueueSource::new, r -> { }).withReadyAtStart(true);
        try (UnixDatagramSocket systemd = UnixDatagramSocket.bind(notifyAt)) {
            java.util.concurrent.CompletableFuture<Daemon> started = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return Daemon.start(options);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals("READY=1\nSTATUS=starting: coldplug to follow\n", text(systemd.receive(4096, 10_000)));
            assertEquals(List.of(), kernel.inserted(), "nothing loaded before READY=1: it comes first");
            building.countDown();
            Daemon daemon = started.get(30, java.util.concurrent.TimeUnit.SECONDS);
            try {
                assertEquals(Daemon.State.READY, daemon.state());
                assertEquals(List.of("8139cp"), kernel.inserted());
                assertEquals("STATUS=coldplug\n", text(systemd.receive(4096, 5000)));
                String settled = text(systemd.receive(4096, 5000));
                assertNotNull(settled);
                assertTrue(settled.startsWith("READY=1\nSTATUS=ready: 1 devices announced, 1 modules loaded, 0 failed"),
                        settled);
            } finally {
                daemon.stop();
            }
        }
    }

    @Test
    void coldplugThenReadyThenLiveEventsThenAControlledStop() throws Exception {
        device("/devices/pci0000:00/0000:00:03.0", "pci", "MODALIAS=pci:v000010ECd00008139sv0sd0bc02sc00i00\n");
        device("/devices/pci0000:00/0000:00:04.0", "pci", "MODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00\n");
        InMemoryDatabase index = new InMemoryDatabase(DIR).module("kernel/8139cp.ko").module("kernel/e1000.ko")
                .module("kernel/usb_storage.ko")
                .alias("pci:v000010ECd00008139sv*", "8139cp").alias("pci:v00008086d0000100Esv*", "e1000")
                .alias("usb:v0781p5567*", "usb_storage");
        SharedKernel kernel = new SharedKernel().define(index.file("kernel/8139cp.ko"), "8139cp")
                .define(index.file("kernel/e1000.ko"), "e1000").define(index.file("kernel/usb_storage.ko"), "usb_storage");
        QueueSource source = new QueueSource();
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        Path sys = root.resolve("sys");
        Path control = root.resolve("run/autoprobe/control");
        String notifyAt = root.resolve("notify").toString();
        GenerationSources sources = new GenerationSources(DIR, List.of(), List.of(), sys, null);
        DaemonOptions options = new DaemonOptions(sources,
                id -> TestGenerations.of(id, index, ModprobeConfig.EMPTY, kernel, sys), kernel,
                new ShellCommandRunner(), 2, Coldplug.Mode.WALK, control, false, notifyAt, Duration.ofSeconds(10),
                Duration.ofSeconds(5), () -> source, results::add);
        try (UnixDatagramSocket systemd = UnixDatagramSocket.bind(notifyAt)) {
            Daemon daemon = Daemon.start(options);
            try {
                assertEquals(Daemon.State.READY, daemon.state());
                assertEquals(List.of("8139cp", "e1000"), kernel.inserted().stream().sorted().toList(),
                        "coldplug loaded the drivers of the devices present before READY");
                assertEquals("STATUS=coldplug\n", text(systemd.receive(4096, 5000)));
                String ready = text(systemd.receive(4096, 5000));
                assertNotNull(ready);
                assertTrue(ready.startsWith("READY=1\nSTATUS=ready: 2 devices announced, 2 modules loaded, 0 failed"), ready);

                source.kernelSends(Uevents.add("/devices/pci0000:00/0000:00:1d.0/usb2/2-1/2-1:1.0", "usb",
                        "usb:v0781p5567d0100dc00dsc00dp00ic08isc06ip50in00"));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (kernel.inserted().size() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(daemon.pipeline().awaitIdle(Duration.ofSeconds(10)));
                assertTrue(kernel.inserted().contains("usb_storage"));

                ControlClient.Response status = ControlClient.request(control, "status");
                assertTrue(status.ok());
                assertTrue(status.lines().contains("state=ready"), status.lines().toString());
                assertTrue(status.lines().contains("coldplug.devices=2"), status.lines().toString());
                assertTrue(status.lines().contains("loads.loaded=3"), status.lines().toString());
                assertTrue(status.lines().contains("events.kernel=1"), status.lines().toString());
                assertTrue(status.lines().contains("control.busy=0"), status.lines().toString());

                ControlClient.Response resolve = ControlClient.request(control, "resolve pci:v00008086d0000100Esv0sd0bc02sc00i00 nothing:here");
                assertEquals(List.of("pci:v00008086d0000100Esv0sd0bc02sc00i00\te1000", "nothing:here\t-"), resolve.lines());

                ControlClient.Response explain = ControlClient.request(control, "explain /devices/pci0000:00/0000:00:04.0");
                assertTrue(explain.ok(), explain.error());
                assertTrue(explain.lines().contains("  subsystem pci"), explain.lines().toString());
                assertTrue(explain.lines().contains("lookup pci:v00008086d0000100Esv0sd0bc02sc00i00"), explain.lines().toString());
                assertTrue(explain.lines().contains("module e1000: loaded"), explain.lines().toString());
                assertTrue(explain.lines().contains("  autoprobe: loaded for /devices/pci0000:00/0000:00:04.0"
                        + " (pci:v00008086d0000100Esv0sd0bc02sc00i00), coldplug event, generation 1"), explain.lines().toString());
                ControlClient.Response why = ControlClient.request(control, "explain e1000");
                assertTrue(why.ok(), why.error());
                assertEquals("module e1000: loaded", why.lines().get(1), why.lines().toString());
                assertTrue(why.lines().contains("  rule classpath:80-autoprobe-drivers.rules:15 RUN{builtin}+=\"kmod load\""),
                        "the rule that made the daemon load it: " + why.lines());
                assertTrue(why.lines().contains("  wanted by /devices/pci0000:00/0000:00:04.0 (pci:v00008086d0000100Esv0sd0bc02sc00i00)"),
                        why.lines().toString());
                ControlClient.Response alias = ControlClient.request(control, "explain pci:v000010ECd00008139sv0sd0bc02sc00i00");
                assertTrue(alias.lines().contains("module 8139cp: loaded"), alias.lines().toString());
                assertEquals("no device /devices/none (no " + sys.resolve("devices/none/uevent") + ")",
                        ControlClient.request(control, "explain /devices/none").error());
                for (String escape : List.of("/devices/../../etc", "/devices/./x", "/devices//x", "/sys/devices/x/..")) {
                    assertEquals("not a device path under /devices: " + escape,
                            ControlClient.request(control, "explain " + escape).error());
                }
                assertEquals("invalid request: control byte 0x00 at offset 18",
                        ControlClient.request(control, "explain /devices/a\0b").error());

                ControlClient.Response reload = ControlClient.request(control, "reload");
                if (ProcessHandle.current().info().user().map("root"::equals).orElse(false)) {
                    assertEquals(List.of("generation=2"), reload.lines());
                    assertEquals(2, daemon.generation().id());
                    ControlClient.Response again = ControlClient.request(control, "coldplug");
                    assertEquals(List.of("devices=2"), again.lines());
                    assertEquals(3, kernel.inserted().size(), "nothing loaded twice");
                }
                while (systemd.receive(4096, 100) != null) {
                    // reload notifications
                }
            } finally {
                daemon.stop();
            }
            assertEquals(Daemon.State.STOPPED, daemon.state());
            assertEquals("STOPPING=1\nSTATUS=stopping\n", text(systemd.receive(4096, 5000)));
            assertTrue(!Files.exists(control));
        }
    }

    private DaemonOptions optionsWithControlAt(Path control, QueueSource source) {
        InMemoryDatabase index = new InMemoryDatabase(DIR).module("kernel/e1000.ko").alias("pci:v00008086d0000100Esv*", "e1000");
        SharedKernel kernel = new SharedKernel().define(index.file("kernel/e1000.ko"), "e1000");
        Path sys = root.resolve("sys");
        GenerationSources sources = new GenerationSources(DIR, List.of(), List.of(), sys, null);
        return new DaemonOptions(sources, id -> TestGenerations.of(id, index, ModprobeConfig.EMPTY, kernel, sys), kernel,
                new ShellCommandRunner(), 1, Coldplug.Mode.WALK, control, false, null, Duration.ofSeconds(10),
                Duration.ofSeconds(5), () -> source, r -> { });
    }

    @Test
    void theControlPathIsNeverTakenOver() throws Exception {
        Files.createDirectories(root.resolve("sys/devices"));
        Path file = root.resolve("precious");
        Files.writeString(file, "keep me\n");
        IOException e = assertThrows(IOException.class, () -> Daemon.start(optionsWithControlAt(file, new QueueSource())));
        assertTrue(e.getMessage().contains("it exists and is not a socket (a regular file)"), e.getMessage());
        assertEquals("keep me\n", Files.readString(file));

        Path control = root.resolve("run/control");
        Daemon first = Daemon.start(optionsWithControlAt(control, new QueueSource()));
        try {
            IOException again = assertThrows(IOException.class, () -> Daemon.start(optionsWithControlAt(control, new QueueSource())));
            assertEquals("another daemon is listening on " + control + " (it answered a connection); not starting a second one",
                    again.getMessage());
            assertTrue(ControlClient.request(control, "status").lines().contains("state=ready"), "the first keeps its socket");
        } finally {
            first.stop();
        }
        assertTrue(!Files.exists(control));
    }
}
