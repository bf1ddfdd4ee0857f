package org.autoprobe.daemon.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.autoprobe.daemon.load.LoadResult;
import org.junit.jupiter.api.Test;

class TimelineSummaryTest {
    private static Timeline.Load load(String module, long start, long end) {
        return new Timeline.Load(module, "/devices/x", LoadResult.Status.LOADED, "loaded", "", start, end);
    }

    @Test
    void howLongItTookAndTheSlowestLoad() {
        Timeline t = new Timeline("t", Timeline.Origin.PROCESS_START, 500_000_000L, 9_140_000_000L, List.of(),
                List.of(load("usbcore", 1_000_000_000L, 1_600_000_000L), load("xhci_pci", 2_000_000_000L, 5_420_000_000L),
                        load("evdev", 6_000_000_000L, 6_050_000_000L)), 0, 0);
        assertEquals("settled 9.1 s after the start, slowest load xhci_pci 3.4 s", t.summary());
        Timeline later = new Timeline("t", Timeline.Origin.COLDPLUG_BEGIN, 1_000_000_000L, 3_500_000_000L, List.of(),
                List.of(), 0, 0);
        assertEquals("coldplug took 2.5 s", later.summary());
        Timeline running = new Timeline("t", Timeline.Origin.PROCESS_START, 0, -1, List.of(), List.of(), 0, 0);
        assertEquals("", running.summary());
    }
}
