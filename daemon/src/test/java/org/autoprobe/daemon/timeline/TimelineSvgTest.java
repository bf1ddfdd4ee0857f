package org.autoprobe.daemon.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.autoprobe.daemon.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TimelineSvgTest {
    private static final long MS = 1_000_000L;
    /** A device path as hostile as the kernel or a file could make one (sysfs names may hold anything but '/'). */
    static final String HOSTILE = "/devices/virtual/x<script>&amp;\"'\u0001\u007f\ud800]]>";

    static Timeline sample() {
        String nic = "/devices/pci0000:00/0000:00:03.0";
        String edac = "/devices/system/cpu/cpu0";
        List<Timeline.Device> devices = List.of(
                new Timeline.Device(nic, "pci:v00008086d0000100E", List.of("pci:v00008086d0000100E"), List.of("e1000"),
                        900 * MS, 905 * MS),
                new Timeline.Device(edac, "cpu:type:x86", List.of("cpu:type:x86"), List.of("amd64_edac", "crc32c_intel"),
                        910 * MS, 912 * MS),
                new Timeline.Device(HOSTILE, "x<y", List.of("x<y"), List.of(), 915 * MS, 916 * MS),
                new Timeline.Device("/devices/platform/pcspkr", "platform:pcspkr", List.of("platform:pcspkr"),
                        List.of("pcspkr"), 918 * MS, 919 * MS));
        List<Timeline.Load> loads = List.of(
                new Timeline.Load("e1000", nic, LoadResult.Status.LOADED, "loaded", "", 906 * MS, 1_400 * MS),
                new Timeline.Load("amd64_edac", edac, LoadResult.Status.FAILED, "failed: ENODEV",
                        "finit_module(amd64_edac.ko) failed: ENODEV (No such device)", 913 * MS, 960 * MS),
                new Timeline.Load("crc32c_intel", edac, LoadResult.Status.ALREADY_LOADED, "already-loaded", "", 913 * MS,
                        914 * MS),
                new Timeline.Load("pcspkr", "/devices/platform/pcspkr", LoadResult.Status.BLACKLISTED, "blacklisted", "",
                        920 * MS, 920 * MS),
                // a module whose device event was not kept (over the bound): still drawn, in a row of its own
                new Timeline.Load("mod<&>", "/devices/elsewhere", LoadResult.Status.LOADED, "loaded", "", 300 * MS,
                        2_300 * MS));
        return new Timeline("coldplug <test> & \"more\"", Timeline.Origin.PROCESS_START, 700 * MS, 2_350 * MS, devices,
                loads, 3, 0);
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> groups(Document d, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element e = (Element) gs.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Element parent, String tag, String cls) {
        NodeList n = parent.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        for (int i = 0; i < n.getLength(); i++) {
            Element e = (Element) n.item(i);
            if (cls == null || List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void aRowPerDeviceAndPerLoadBarsWithinTheAxisFailuresMarked() throws Exception {
        String svg = TimelineSvg.render(sample());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/timeline-sample.svg"), svg); // to look at: rsvg-convert it
        Document d = parse(svg);
        assertEquals("svg", d.getDocumentElement().getLocalName());

        List<Element> devices = groups(d, "device");
        assertEquals(List.of("/devices/elsewhere", "/devices/pci0000:00/0000:00:03.0", "/devices/system/cpu/cpu0",
                HOSTILE.replace("\u0001", "\\x01").replace("\u007f", "\\x7f").replace("\ud800", "\\ud800"),
                "/devices/platform/pcspkr"),
                devices.stream().map(e -> e.getAttribute("data-devpath")).toList(),
                "one row per device, in the order of its first mark; the hostile path escaped and readable as it was");
        List<Element> loads = groups(d, "load");
        assertEquals(List.of("mod<&>", "e1000", "amd64_edac", "crc32c_intel", "pcspkr"),
                loads.stream().map(e -> e.getAttribute("data-module")).toList(), "one row per load, under its device");

        // each row below the one before, loads right after their device
        List<Double> ys = new ArrayList<>();
        for (Element g : List.of(devices.get(0), loads.get(0), devices.get(1), loads.get(1), devices.get(2), loads.get(2),
                loads.get(3), devices.get(3), devices.get(4), loads.get(4))) {
            ys.add(Double.parseDouble(child(g, "text", "label").getAttribute("y")));
        }
        for (int i = 1; i < ys.size(); i++) {
            assertEquals(TimelineSvg.ROW, ys.get(i) - ys.get(i - 1), 1e-9, "rows " + ys);
        }

        // the axis: 0 .. 2.4 s (200 ms ticks) with a gridline per tick
        Element axis = groups(d, "axis").get(0);
        assertEquals("2.4", axis.getAttribute("data-seconds"));
        assertEquals(13, axis.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line").getLength());
        double left = TimelineSvg.MARGIN + TimelineSvg.LABEL_WIDTH;
        double right = left + TimelineSvg.PLOT_WIDTH;
        for (Element g : loads) {
            Element bar = child(g, "rect", "bar");
            double x = Double.parseDouble(bar.getAttribute("x"));
            double w = Double.parseDouble(bar.getAttribute("width"));
            assertTrue(x >= left && x + w <= right + 2 && w >= 2, g.getAttribute("data-module") + ": " + x + " + " + w);
        }
        // e1000 from 0.906 s to 1.4 s on a 2.4 s axis
        Element e1000 = child(loads.get(1), "rect", "bar");
        assertEquals(left + 0.906 / 2.4 * TimelineSvg.PLOT_WIDTH, Double.parseDouble(e1000.getAttribute("x")), 0.1);
        assertEquals((1.4 - 0.906) / 2.4 * TimelineSvg.PLOT_WIDTH, Double.parseDouble(e1000.getAttribute("width")), 0.1);

        // colour by result; the failure marked, with its errno, and its detail in the tooltip
        assertEquals(List.of("bar loaded", "bar loaded", "bar failed", "bar already", "bar blacklisted"),
                loads.stream().map(g -> child(g, "rect", "bar").getAttribute("class")).toList());
        Element failed = loads.get(2);
        assertEquals("failed: ENODEV", failed.getAttribute("data-status"));
        Element mark = child(failed, "text", "failure");
        assertTrue(mark != null && mark.getTextContent().startsWith("✗ failed: ENODEV"), String.valueOf(mark));
        assertTrue(child(failed, "title", null).getTextContent().contains("ENODEV (No such device)"));
        for (Element g : loads) {
            assertEquals(g == failed, child(g, "text", "failure") != null, g.getAttribute("data-module"));
        }

        // device marks: announced and resolved, "no-match" for the device no module matched
        assertEquals(1, devices.get(1).getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle").getLength());
        assertTrue(devices.get(3).getTextContent().contains("no-match"), devices.get(3).getTextContent());
        assertFalse(devices.get(1).getTextContent().contains("no-match"), devices.get(1).getTextContent());

        // markers and the legend
        assertEquals(1, groups(d, "process-start").size());
        assertEquals(1, groups(d, "settled").size());
        assertEquals(1, groups(d, "legend").size());
        assertTrue(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent()
                .equals("coldplug <test> & \"more\""));
        assertTrue(svg.contains("not shown (over the bound): 3 events, 0 loads"));
    }

    @Test
    void outsideTextIsEscapedNeverMarkup() throws Exception {
        String svg = TimelineSvg.render(sample());
        assertFalse(svg.contains("<script>"), "a device path's markup is text, not an element");
        assertFalse(svg.contains("mod<&>"));
        assertFalse(svg.contains("\u0001") || svg.contains("\ud800") || svg.contains("\u007f"));
        Document d = parse(svg);
        assertEquals(0, d.getElementsByTagName("script").getLength());
        assertEquals(0, d.getElementsByTagNameNS("*", "script").getLength());
        // no line of the document holds a newline of its own (the control socket sends it line by line)
        for (String line : TimelineSvg.lines(sample())) {
            assertFalse(line.equals("OK") || line.startsWith("ERR "), line);
        }
        assertEquals(svg, String.join("\n", TimelineSvg.lines(sample())) + "\n");
    }

    @Test
    void anEmptyTimelineIsStillADocument() throws Exception {
        Timeline empty = new Timeline("nothing", Timeline.Origin.COLDPLUG_BEGIN, 0, -1, List.of(), List.of(), 0, 0);
        Document d = parse(TimelineSvg.render(empty));
        assertEquals(0, groups(d, "device").size());
        assertEquals(0, groups(d, "process-start").size(), "times from the coldplug's beginning: no process start");
        assertEquals(1, groups(d, "coldplug-begin").size());
        assertEquals(0, groups(d, "settled").size(), "still running");
    }

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTenAtMostTwelveTicks() {
        assertEquals(200 * MS, TimelineSvg.step(2_350 * MS));
        assertEquals(100 * MS, TimelineSvg.step(1_105 * MS));
        assertEquals(5_000 * MS, TimelineSvg.step(31_000 * MS));
        assertEquals(1 * MS, TimelineSvg.step(1 * MS), "never under a millisecond: the tick labels have three decimals");
        assertEquals(1 * MS, TimelineSvg.step(1));
        for (long last = 1; last < 100_000_000_000L; last = last * 3 + 7) {
            long step = TimelineSvg.step(last);
            assertTrue(last / step <= 12, last + " " + step);
        }
    }
}
