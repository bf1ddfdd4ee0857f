package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autoprobe.daemon.pipeline.SysfsRead;
import org.autoprobe.rules.udev.SysfsView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenumberedTest {
    private static final String XHCI = "/devices/pci0000:00/0000:00:04.0";

    @TempDir
    Path sys;

    private void dir(String devpath) throws IOException {
        Files.createDirectories(sys.resolve(devpath.substring(1)));
    }

    @Test
    void shapesCountEachRunOfDigitsOnce() {
        assertEquals("usb#", Renumbered.shape("usb2"));
        assertEquals("#-#:#.#", Renumbered.shape("12-1:1.0"));
        assertEquals("#:#:#.#", Renumbered.shape("0003:0627:0001.0002"));
        assertEquals("input", Renumbered.shape("input"));
        assertTrue(Renumbered.renumberable("usb2"));
        assertTrue(Renumbered.renumberable("host0"));
        assertFalse(Renumbered.renumberable("input"), "no number in it");
        assertFalse(Renumbered.renumberable("0000:00:04.0"), "a PCI address is the topology");
        assertFalse(Renumbered.renumberable("pci0000:00"));
    }

    @Test
    void aKeyboardOnTheOtherRootHubIsACandidateItsControllerIsNot() throws IOException {
        // this boot: the xHCI controller's root hubs are usb1 (the keyboard) and usb2 (empty);
        // another controller at 05.0 has usb3 with a device of the same shape
        dir(XHCI + "/usb1/1-1/1-1:1.0/0003:0627:0001.0002/input/input7");
        dir(XHCI + "/usb2");
        dir("/devices/pci0000:00/0000:00:05.0/usb3/3-1/3-1:1.0");
        String planned = XHCI + "/usb2/2-1/2-1:1.0/0003:0627:0001.0001/input/input5";
        assertEquals(List.of(XHCI + "/usb1/1-1/1-1:1.0/0003:0627:0001.0002/input/input7"),
                Renumbered.candidates(sys, planned));
        assertEquals(List.of(XHCI + "/usb1/1-1/1-1:1.0"), Renumbered.candidates(sys, XHCI + "/usb2/2-1/2-1:1.0"));
    }

    @Test
    void thePlannedPathItselfIsNoCandidateNorIsAnythingOfAnotherShape() throws IOException {
        dir(XHCI + "/usb1/1-1/1-1:1.0");
        dir(XHCI + "/usb1/1-1/1-1:2");
        assertEquals(List.of(), Renumbered.candidates(sys, XHCI + "/usb1/1-1/1-1:1.0"));
        assertEquals(List.of(), Renumbered.candidates(sys, "/devices/pci0000:00/0000:00:06.0/usb1/1-1/1-1:1.0"));
        assertEquals(List.of(), Renumbered.candidates(sys, "/sys/../etc"));
        assertEquals(List.of(), Renumbered.candidates(sys, "/devices/../../etc/x1"));
    }

    @Test
    void theSearchIsBounded() throws IOException {
        for (int bus = 1; bus <= 40; bus++) {
            for (int port = 1; port <= 3; port++) {
                dir(XHCI + "/usb" + bus + "/" + bus + "-" + port + "/" + bus + "-" + port + ":1.0");
            }
        }
        List<String> found = Renumbered.candidates(sys, XHCI + "/usb99/99-1/99-1:1.0");
        assertEquals(Renumbered.MAX_FOUND, found.size(), found.toString());
        assertEquals(List.of(), Renumbered.candidates(sys, XHCI + "/usb99/99-9/99-9:1.0/x1/x2/x3/x4/x5/x6/x7/x8"));
    }

    @Test
    void readsOfTheDeviceMoveWithItAndItsNameTestsAnswerForTheNewName() throws IOException {
        String from = XHCI + "/usb2/2-1/2-1:1.0";
        String to = XHCI + "/usb1/1-1/1-1:1.0";
        dir(to);
        Files.writeString(sys.resolve(to.substring(1)).resolve("bInterfaceClass"), "03\n");
        SysfsView view = SysfsView.at(sys);
        BootPlan.Device d = new BootPlan.Device(from, "SUBSYSTEM-LINK=usb", List.of(
                new SysfsRead(SysfsRead.Kind.ATTRIBUTE, from, "bInterfaceClass", "03"),
                new SysfsRead(SysfsRead.Kind.NAME_TEST, from, "KERNEL ==-mtd*ro", "0"),
                new SysfsRead(SysfsRead.Kind.NAME_TEST, from, "DEVPATH ==-*/usb?/*", "1"),
                new SysfsRead(SysfsRead.Kind.DEVPATH_OF, "usb", "2-1", from.substring(0, from.lastIndexOf('/')))),
                List.of("usbhid"));
        BootPlan.Device moved = d.movedTo(to);
        assertEquals(to, moved.devpath());
        assertEquals(to, moved.reads().get(0).first());
        assertTrue(moved.reads().get(0).holds(view), "the attribute read where the device is now");
        assertTrue(moved.reads().get(1).holds(view));
        assertTrue(moved.reads().get(2).holds(view));
        assertEquals("2-1", moved.reads().get(3).second(), "another device's lookup stays as it was");
        assertFalse(moved.reads().get(3).holds(view));
        // a rule that tested the old name answers otherwise for the new one: not the plan's decision
        SysfsRead byName = new SysfsRead(SysfsRead.Kind.NAME_TEST, from, "KERNEL ==-2-1:1.0", "1");
        assertTrue(byName.holds(view));
        assertFalse(byName.movedTo(from, to).holds(view));
        SysfsRead used = new SysfsRead(SysfsRead.Kind.NAME_VALUE, from, "number", "0");
        assertTrue(used.movedTo(from, to).holds(view), "1-1:1.0's number is 0 too");
        assertFalse(new SysfsRead(SysfsRead.Kind.NAME_VALUE, from, "kernel", "2-1:1.0").movedTo(from, to).holds(view));
        assertFalse(new SysfsRead(SysfsRead.Kind.NAME_TEST, to, "KERNEL <>x", "1").holds(view), "not a test: never holds");
    }
}
