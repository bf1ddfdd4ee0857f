package org.autoprobe.daemon.timeline;

import java.util.List;
import java.util.Objects;

import org.autoprobe.daemon.load.LoadResult;

/**
 * A coldplug as it happened: each device event that asked for modules (when the walk or the kernel
 * announced it, when the rules and the index had resolved it) and each module load (when it began
 * and ended, and how). Times are nanoseconds since {@link #origin()}: the process's start when the
 * coldplug was the start's, else the coldplug's own beginning.
 *
 * @param title          what it shows, in words ({@code autoprobe coldplug -n on HOST}, say)
 * @param origin         what time 0 is
 * @param begin          when the coldplug (the start, with its boot plan) began
 * @param end            when it settled; -1 while it runs
 * @param devices        device events in the order they were resolved
 * @param loads          loads in the order they ended
 * @param droppedDevices device events past {@link TimelineRecorder#MAX_DEVICES}, not kept
 * @param droppedLoads   loads past {@link TimelineRecorder#MAX_LOADS}, not kept
 */
public record Timeline(String title, Origin origin, long begin, long end, List<Device> devices, List<Load> loads,
                       int droppedDevices, int droppedLoads) {
    /** What time 0 is. */
    enum Origin {
        /** The process's start (the JVM's): the coldplug of the daemon's start or of {@code autoprobe coldplug}. */
        PROCESS_START,
        /** The coldplug's own beginning (one asked for later: {@code autoprobe status coldplug}). */
        COLDPLUG_BEGIN
    }

    public Timeline {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(origin, "origin");
        devices = List.copyOf(devices);
        loads = List.copyOf(loads);
    }

    /**
     * How long it took and which load was slowest, for the ready line the journal keeps:
     * {@code settled 9.1 s after the start, slowest load xhci_pci 3.4 s}; "" when there is nothing to say.
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        if (end >= 0) {
            b.append(origin == Origin.PROCESS_START ? "settled " + seconds(end) + " after the start"
                    : "coldplug took " + seconds(end - begin));
        }
        Load slowest = null;
        for (Load l : loads) {
            if (slowest == null || l.end() - l.start() > slowest.end() - slowest.start()) {
                slowest = l;
            }
        }
        if (slowest != null) {
            b.append(b.length() == 0 ? "" : ", ").append("slowest load ")
                    .append(org.autoprobe.core.text.Abbrev.cut(slowest.module(), 64)).append(' ')
                    .append(seconds(slowest.end() - slowest.start()));
        }
        return b.toString();
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /**
     * One device event.
     *
     * @param devpath   the device's path under /sys, as the event gave it (untrusted text)
     * @param modalias  its MODALIAS, or null
     * @param asked     what the rules asked to load (the MODALIAS, or names), in order
     * @param modules   the modules that resolved to, in order (empty: no match)
     * @param announced when the walk read it or the socket received it
     * @param resolved  when the rules and the index had decided it
     */
    record Device(String devpath, String modalias, List<String> asked, List<String> modules, long announced,
                        long resolved) {
        public Device {
            Objects.requireNonNull(devpath, "devpath");
            asked = List.copyOf(asked);
            modules = List.copyOf(modules);
        }
    }

    /**
     * One module's load.
     *
     * @param module  the module (untrusted text: from the index)
     * @param devpath the device it was loaded for
     * @param status  how it ended
     * @param word    the status in words: {@code loaded}, {@code would-load}, {@code failed: ENODEV} ...
     * @param detail  the failure in words, "" unless failed
     * @param start   when it began to run
     * @param end     when it ended
     */
    record Load(String module, String devpath, LoadResult.Status status, String word, String detail, long start,
                       long end) {
        public Load {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(devpath, "devpath");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(word, "word");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
