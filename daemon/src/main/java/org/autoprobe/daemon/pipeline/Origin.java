package org.autoprobe.daemon.pipeline;

/** Where an event in the ring came from. */
public enum Origin {
    /** Announced by the kernel on the uevent socket (a {@code --trigger} coldplug's too). */
    KERNEL,
    /** Made up from a device's {@code uevent} file by a coldplug walk. */
    COLDPLUG,
    /** Replayed by a test or benchmark. */
    REPLAY
}
