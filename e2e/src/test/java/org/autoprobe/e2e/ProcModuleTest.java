package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProcModuleTest {

    @Test
    void parsesHoldersCountsAndStates() {
        List<ProcModule> m = ProcModule.parseAll("""
                mii 20480 1 8139too, Live 0x0000000000000000
                netfs 57344 2 9p,fscache, Live 0xffffffffc0635000
                dummy 16384 0 - Loading 0xffffffffc0001000 (OE)
                """);
        assertEquals(List.of(
                new ProcModule("mii", 20480, 1, List.of("8139too"), "Live"),
                new ProcModule("netfs", 57344, 2, List.of("9p", "fscache"), "Live"),
                new ProcModule("dummy", 16384, 0, List.of(), "Loading")), m);
    }

    @Test
    void permanentModulesKeepTheirMarker() {
        assertEquals(List.of("[permanent]"),
                ProcModule.parseAll("ipv6 1 0 [permanent], Live 0x0\n").get(0).holders());
    }

    @Test
    void malformedLinesNameTheirLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcModule.parseAll("a 1 0 - Live 0x0\nb x 0 - Live 0x0\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ProcModule.parseAll("short 1 0\n"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }
}
