package org.autoprobe.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.generation.GenerationLoader;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.RecordingKernel;
import org.autoprobe.daemon.pipeline.Origin;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;

/**
 * What the uevent benchmarks share: the daemon's pipeline exactly as the daemon builds it (ring
 * size, wait strategy, default rules, the real tree's indexes, the caching resolver) over a
 * recording kernel that loads nothing, and this machine's devices ({@code /sys/devices}, as a
 * coldplug sees them) as {@code add} uevents in the kernel's wire format. After the first pass,
 * replayed before measuring, every module the events want is settled.
 */
final class UeventReplay {
    final byte[][] messages;
    final LoadCoordinator coordinator;
    final UeventPipeline pipeline;

    UeventReplay() throws IOException, InterruptedException {
        Path moduleDir = IndexedTree.moduleDir();
        RecordingKernel kernel = new RecordingKernel(ModuleState.nothingLoaded());
        SystemRoot host = SystemRoot.host();
        Generation g = new GenerationLoader(new GenerationSources(moduleDir, List.of(), List.of(), host.sys(), null),
                kernel).load(1);
        coordinator = new LoadCoordinator(kernel, new ShellCommandRunner(), 2, r -> { });
        pipeline = new UeventPipeline(() -> g, coordinator).start();
        List<byte[]> list = new ArrayList<>();
        long seq = 1;
        for (SysfsDevice d : SysfsDevices.scan(host.sys(), w -> { })) {
            list.add(message(d, seq++));
        }
        if (list.isEmpty()) {
            throw new IOException("no devices under /sys/devices to replay");
        }
        messages = list.toArray(new byte[0][]);
        for (byte[] m : messages) {
            if (!pipeline.publish(m, 0, m.length, Origin.REPLAY)) {
                throw new IllegalStateException("not a uevent: " + new String(m, StandardCharsets.UTF_8));
            }
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

    /** Waits (yielding: two cores are shared with the consumer) until every published event is decided. */
    void drain() {
        while (!pipeline.idle()) {
            Thread.yield();
        }
    }

    void close() throws InterruptedException {
        pipeline.shutdown(Duration.ofSeconds(5));
        coordinator.shutdown(Duration.ofSeconds(5));
    }
}
