package org.autoprobe.daemon.coldplug;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

import org.autoprobe.daemon.pipeline.Origin;
import org.autoprobe.daemon.pipeline.UeventPipeline;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;
import org.autoprobe.netlink.sysfs.SysfsTrigger;
import org.autoprobe.netlink.uevent.UeventAction;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the devices that were there before us. Call it only once the uevent socket is open
 * and bound, so that nothing falls between the walk and the socket.
 */
public final class Coldplug {
    private static final Logger LOG = LoggerFactory.getLogger(Coldplug.class);

    /** How the devices are announced. */
    public enum Mode {
        /** Read every device's {@code uevent} file and publish a made-up {@code add} event for it. */
        WALK,
        /** Write {@code add <uuid>} to every device's {@code uevent} file: the kernel announces them itself. */
        TRIGGER
    }

    private final Path sysRoot;
    private final Consumer<String> warnings;
    private long seqnum;

    /** @param warnings where unreadable or unwritable device files are reported (the walk goes on) */
    public Coldplug(Path sysRoot, Consumer<String> warnings) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * Publishes an {@code add} for every device under {@code <sys>/devices}, parents first.
     *
     * @return how many were published
     */
    public synchronized int walk(UeventPipeline pipeline) throws IOException {
        return walk(pipeline, d -> { });
    }

    /**
     * As {@link #walk(UeventPipeline)}, telling {@code seen} of each device before its event is
     * published (the boot plan's recorder).
     */
    public synchronized int walk(UeventPipeline pipeline, Consumer<SysfsDevice> seen) throws IOException {
        byte[] buf = new byte[UeventSlot.MAX_MESSAGE_BYTES];
        int[] published = {0};
        // each device is announced as the walk finds it: the first loads start while the walk goes on
        SysfsDevices.forEach(sysRoot, d -> {
            seen.accept(d);
            int n = SyntheticUevent.encode(d, ++seqnum, buf);
            if (n < 0) {
                warnings.accept(sysRoot.resolve(d.devpath().substring(1)).resolve("uevent")
                        + ": too many variables for one uevent, skipped");
            } else if (pipeline.publish(buf, 0, n, Origin.COLDPLUG)) {
                published[0]++;
            } else {
                warnings.accept(d.devpath() + ": its uevent file does not make a valid uevent, skipped");
            }
        }, warnings);
        LOG.info("coldplug: announced {} devices from {}", published[0], sysRoot.resolve("devices"));
        return published[0];
    }

    /** A fresh UUID for {@link #trigger}. */
    public static String newUuid() {
        return UUID.randomUUID().toString();
    }

    /**
     * Makes the kernel announce every device again, with {@code SYNTH_UUID=uuid}.
     *
     * @return how many devices were triggered
     */
    public int trigger(String uuid) throws IOException {
        int n = SysfsTrigger.trigger(sysRoot.resolve("devices"), UeventAction.ADD, uuid, warnings);
        LOG.info("coldplug: triggered {} devices under {} (SYNTH_UUID={})", n, sysRoot.resolve("devices"), uuid);
        return n;
    }
}
