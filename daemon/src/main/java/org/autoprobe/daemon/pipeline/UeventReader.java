package org.autoprobe.daemon.pipeline;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.autoprobe.netlink.uevent.UeventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket thread: receives kernel uevents (verified and parsed by the source) and publishes a
 * copy of each into the ring, so it never waits for rules or loads. An overflow (ENOBUFS: the
 * kernel dropped events) calls for a resynchronisation from sysfs. Ends when the source closes.
 */
public final class UeventReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(UeventReader.class);
    private static final String SYNTH_UUID = "SYNTH_UUID";

    private final UeventSource source;
    private final UeventPipeline pipeline;
    private final Runnable resync;
    private final AtomicLong synthSeen = new AtomicLong();
    private volatile String synthUuid;
    private volatile boolean stopped;

    /** @param resync run (on this thread) after an overflow; it should hand the walk to another thread */
    public UeventReader(UeventSource source, UeventPipeline pipeline, Runnable resync) {
        this.source = Objects.requireNonNull(source, "source");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.resync = Objects.requireNonNull(resync, "resync");
    }

    /** Starts counting kernel events that carry {@code SYNTH_UUID=uuid} (a {@code --trigger} coldplug's). */
    public void expectSynthUuid(String uuid) {
        synthSeen.set(0);
        synthUuid = uuid;
    }

    /** How many events with the expected SYNTH_UUID arrived since {@link #expectSynthUuid}. */
    public long synthSeen() {
        return synthSeen.get();
    }

    /** Makes {@link #run()} return at its next wake-up (close the source to wake it). */
    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        UeventSlot slot = new UeventSlot();
        byte[] copy = new byte[UeventSlot.MAX_MESSAGE_BYTES];
        while (!stopped) {
            ReceiveOutcome o;
            try {
                o = source.receive(slot, -1);
            } catch (IOException e) {
                if (stopped) {
                    return;
                }
                LOG.error("uevent socket: {}; retrying in 1 s", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            switch (o) {
                case EVENT -> {
                    String uuid = synthUuid;
                    if (uuid != null) {
                        CharSequence v = slot.get(SYNTH_UUID);
                        if (v != null && uuid.contentEquals(v)) {
                            synthSeen.incrementAndGet();
                        }
                    }
                    int n = slot.copyMessage(copy);
                    pipeline.publish(copy, 0, n, Origin.KERNEL);
                }
                case OVERFLOW -> {
                    source.seqnums().reset();
                    resync.run();
                }
                case CLOSED -> {
                    return;
                }
                default -> {
                    // dropped, malformed, libudev, timeout: the source counted and logged them
                }
            }
        }
    }
}
