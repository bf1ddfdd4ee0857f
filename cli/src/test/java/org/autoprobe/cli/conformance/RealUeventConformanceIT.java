package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.generation.GenerationLoader;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.load.RecordingKernel;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.daemon.pipeline.UeventReader;
import org.autoprobe.netlink.sys.UeventSocket;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on this machine's kernel: the real uevent socket, this machine's sysfs, Debian's
 * real module tree (its indexes built by kmod's depmod) and a kernel that records instead of
 * loading (this kernel cannot load Debian's modules). A device is re-announced by writing
 * {@code add <uuid>} to its uevent file; the test follows that event through the rules and the
 * resolver to a load request. Runs in the conformance suite (as root, like CI) on the shared
 * {@link KernelTree} fixture, whose indexes kmod's depmod wrote.
 */
class RealUeventConformanceIT {
    private static final Path SYS = Path.of("/sys");

    /** Per SYNTH_UUID: what the rules asked and which modules it resolved to. */
    private final Map<String, List<List<String>>> decided = new ConcurrentHashMap<>();

    private static Path moduleDir() {
        KernelTree tree = KernelTree.get();
        return tree.moduleDir(tree.reference());
    }

    @Test
    void aReAnnouncedDeviceFlowsThroughRulesAndResolutionToALoadRequest() throws Exception {
        assertTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "the real uevent socket needs root (CI runs as root)");
        Path moduleDir = moduleDir();
        RecordingKernel kernel = new RecordingKernel(new SysfsModuleState(SYS));
        GenerationSources sources = new GenerationSources(moduleDir, List.of(), List.of(), SYS, null);
        Generation g = new GenerationLoader(sources, kernel).load(1);
        assertEquals(List.of(), g.problems());
        List<LoadResult> results = Collections.synchronizedList(new ArrayList<>());
        LoadCoordinator coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, results::add);
        UeventPipeline pipeline = new UeventPipeline(() -> g, coordinator).listen(ev -> {
            CharSequence uuid = ev.slot().get("SYNTH_UUID");
            if (uuid != null) {
                decided.computeIfAbsent(uuid.toString(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(List.of(String.join(" ", ev.asked()), String.join(" ", ev.modules())));
            }
        }).start();
        UeventSocket socket = UeventSocket.open();
        try {
            Thread reader = new Thread(new UeventReader(socket, pipeline, () -> { }), "test-uevent-socket");
            reader.start();

            // the brief's device: the default rules ask for its MODALIAS; Debian's tree has no module for it (8250 is built in)
            String serial = trigger("/devices/platform/serial8250");
            assertEquals(List.of(List.of("platform:serial8250", "")), awaitDecision(serial));

            // a device whose MODALIAS Debian's tree serves: the request reaches the (recording) kernel
            String device = resolvablePlatformDevice(g);
            assertNotNull(device, "no platform device here whose MODALIAS the tree serves");
            String modalias = Files.readAllLines(SYS.resolve(device.substring(1)).resolve("uevent")).stream()
                    .filter(l -> l.startsWith("MODALIAS=")).findFirst().orElseThrow().substring(9);
            List<String> modules = g.resolver().resolve(modalias, true);
            String uuid = trigger(device);
            assertEquals(List.of(List.of(modalias, String.join(" ", modules))), awaitDecision(uuid));
            assertTrue(pipeline.awaitIdle(Duration.ofSeconds(10)));
            LoadResult r = results.stream().filter(x -> x.request().devpath().equals(device)).findFirst().orElse(null);
            assertNotNull(r, "a load request for " + device + " in " + results);
            assertEquals(modules.get(0), r.request().module());
            assertEquals(modalias, r.request().modalias());
            if (r.status() == LoadResult.Status.LOADED) {
                String file = g.resolver().resolver().module(r.request().module()).path();
                assertTrue(kernel.calls().contains("insmod " + file + " "), kernel.calls() + " should insert " + file);
            } else {
                assertEquals(LoadResult.Status.ALREADY_LOADED, r.status(), r.toString());
            }
            socket.close();
            reader.join(5000);
        } finally {
            socket.close();
            pipeline.shutdown(Duration.ofSeconds(5));
            coordinator.shutdown(Duration.ofSeconds(5));
        }
    }

    private static String trigger(String devpath) throws IOException {
        Path uevent = SYS.resolve(devpath.substring(1)).resolve("uevent");
        assertTrue(Files.isWritable(uevent), uevent + " must exist and be writable");
        String uuid = UUID.randomUUID().toString();
        Files.writeString(uevent, "add " + uuid, StandardCharsets.US_ASCII);
        return uuid;
    }

    private List<List<String>> awaitDecision(String uuid) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!decided.containsKey(uuid) && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        List<List<String>> d = decided.get(uuid);
        assertNotNull(d, "the event with SYNTH_UUID " + uuid + " reached the dispatcher");
        Thread.sleep(50);
        return List.copyOf(d);
    }

    /** The first platform device (by name) whose MODALIAS resolves to a module file of the tree. */
    private static String resolvablePlatformDevice(Generation g) throws IOException {
        try (Stream<Path> devices = Files.list(SYS.resolve("devices/platform"))) {
            for (Path d : devices.sorted().toList()) {
                Path uevent = d.resolve("uevent");
                if (!Files.isRegularFile(uevent)) {
                    continue;
                }
                for (String line : Files.readAllLines(uevent)) {
                    if (line.startsWith("MODALIAS=") && !g.resolver().resolve(line.substring(9), true).isEmpty()) {
                        String name = g.resolver().resolve(line.substring(9), true).get(0);
                        if (g.resolver().resolver().module(name).path() != null) {
                            return "/devices/platform/" + d.getFileName();
                        }
                    }
                }
            }
        }
        return null;
    }
}
