package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The order in which a plan's devices are started: the longest chain of loads at the last boot first. */
class BootPlanOrderTest {
    private static BootPlan.Device device(String devpath, String... wants) {
        return new BootPlan.Device(devpath, "MODALIAS=x:" + devpath + "\n", List.of(), List.of(wants));
    }

    private static BootPlan.Module module(String name, List<String> after, List<String> soft) {
        return new BootPlan.Module(name, "/lib/modules/k/" + name + ".ko", "", after, soft);
    }

    private static final Map<String, BootPlan.Device> DEVICES = new LinkedHashMap<>();
    private static final Map<String, BootPlan.Module> MODULES = new LinkedHashMap<>();

    static {
        for (BootPlan.Device d : List.of(device("/a", "x"), device("/b", "y"), device("/c", "z"), device("/d", "v", "z"))) {
            DEVICES.put(d.devpath(), d);
        }
        for (BootPlan.Module m : List.of(module("x", List.of(), List.of()), module("w", List.of(), List.of()),
                module("y", List.of("w"), List.of()), module("u", List.of(), List.of()),
                module("z", List.of(), List.of("u")), module("v", List.of(), List.of()))) {
            MODULES.put(m.name(), m);
        }
    }

    private static List<String> order(Map<String, Long> millis) {
        return List.copyOf(BootPlanRecorder.longestFirst(DEVICES, MODULES, millis).keySet());
    }

    @Test
    void theLongestChainGoesFirstPrerequisitesAndSoftdepsCounted() {
        // /b: w 20 + y 5 = 25; /d: max(v 12, u 9 + z 1 = 10) = 12; /a: x 10; /c: 10
        assertEquals(List.of("/b", "/d", "/a", "/c"), order(Map.of("x", 10L, "w", 20L, "y", 5L, "v", 12L, "u", 9L, "z", 1L)));
    }

    @Test
    void withoutTimesOrWithTiesTheWalksOrderStays() {
        assertEquals(List.of("/a", "/b", "/c", "/d"), order(Map.of()));
        assertEquals(List.of("/a", "/b", "/c", "/d"), order(Map.of("x", 0L)));
        assertEquals(List.of("/b", "/a", "/c", "/d"), order(Map.of("y", 3L)));
    }

    @Test
    void aCycleInAHandMadePlanDoesNotHang() {
        Map<String, BootPlan.Module> cyclic = new LinkedHashMap<>(MODULES);
        cyclic.put("x", module("x", List.of("y"), List.of()));
        cyclic.put("w", module("w", List.of("x"), List.of()));
        assertEquals(List.of("/a", "/b", "/c", "/d"),
                List.copyOf(BootPlanRecorder.longestFirst(DEVICES, cyclic, Map.of("x", 1L, "y", 1L, "w", 1L)).keySet()));
    }
}
