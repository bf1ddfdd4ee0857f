package org.autoprobe.daemon.pipeline;

/** Where an event in the ring came from. */
public enum Origin {
    /** Announced by the kernel on the uevent socket (a {@code --trigger} coldplug's too). */
    KERNEL("uevent"),
    /** Made up from a device's {@code uevent} file by a coldplug walk. */
    COLDPLUG("coldplug"),
    /** Replayed by a test or benchmark. */
    REPLAY("replay");

    /** The word a load's record keeps ({@code explain}: "loaded for ..., coldplug event"). */
    final String event;

    Origin(String event) {
        this.event = event;
    }
}
