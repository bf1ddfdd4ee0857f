package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoprobe.daemon.testing.Uevents;
import org.autoprobe.netlink.uevent.ReceiveOutcome;
import org.autoprobe.netlink.uevent.UeventParser;
import org.autoprobe.netlink.uevent.UeventSlot;
import org.junit.jupiter.api.Test;

class SlotViewTest {
    private final SlotView view = new SlotView(new StringInterner(256));
    private final UeventSlot first = new UeventSlot();
    private final UeventSlot second = new UeventSlot();

    private static void fill(UeventSlot slot, byte[] m) {
        assertEquals(ReceiveOutcome.EVENT, UeventParser.parse(m, 0, m.length, slot));
    }

    @Test
    void theEventsTextsAsStringsTheSameStringEachTime() {
        fill(first, Uevents.message("add", "/devices/pci0000:00/0000:00:14.0/usb1/1-1", "usb", "MODALIAS=usb:v1d6bp0002",
                "DEVTYPE=usb_device", "EMPTY="));
        fill(second, Uevents.message("add", "/devices/pci0000:00/0000:00:14.0/usb1/1-1", "usb", "DEVTYPE=usb_device",
                "MODALIAS=usb:v1d6bp0002"));
        view.reset(first);
        assertEquals("add", view.action());
        String devpath = view.devpath();
        assertEquals("/devices/pci0000:00/0000:00:14.0/usb1/1-1", devpath);
        assertEquals("usb", view.subsystem());
        assertEquals("1-1", view.kernel());
        String modalias = view.property("MODALIAS");
        assertEquals("usb:v1d6bp0002", modalias);
        assertSame(modalias, view.property("MODALIAS"));
        assertEquals("", view.property("EMPTY"));
        assertNull(view.property("DRIVER"));
        assertNull(view.driver());
        assertTrue(view.subsystemIs("usb"));
        assertFalse(view.subsystemIs("us"));

        view.reset(second);
        assertSame(devpath, view.devpath());
        assertSame(modalias, view.property("MODALIAS"));
        assertEquals("usb_device", view.property("DEVTYPE"));
        assertNull(view.property("EMPTY"), "nothing remembered from the last event");
    }

    @Test
    void theKernelNameIsTheLastComponentWithBangsAsSlashes() {
        fill(first, Uevents.message("add", "/devices/virtual/block/cciss!c0d0", "block"));
        view.reset(first);
        assertEquals("cciss/c0d0", view.kernel());
        assertEquals("/devices/virtual/block/cciss!c0d0", view.devpath(), "the devpath keeps its bang");
        fill(second, Uevents.message("add", "/module/sg", "module"));
        view.reset(second);
        assertEquals("sg", view.kernel());
        assertEquals("module", view.subsystem());
    }
}
