package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcModulesTest {
    @Test
    void parsesTheKernelsColumnsHoldersStatesAndTaints() {
        String text = "8139too 45056 0 - Live 0x0000000000000000\n"
                + "mii 20480 2 8139too,8139cp, Live 0xffffffffc0a00000 (E)\n"
                + "vboxdrv 520192 1 [permanent], Loading 0x0000000000000000 (OE)\n"
                + "old 4096 0 - Unloading 0x0000000000000000\n";
        List<String> problems = new ArrayList<>();
        List<LoadedModule> mods = ProcModules.parse("/proc/modules", text, problems::add);
        assertEquals(List.of(
                new LoadedModule("8139too", 45056, 0, List.of(), InitState.LIVE),
                new LoadedModule("mii", 20480, 2, List.of("8139too", "8139cp"), InitState.LIVE),
                new LoadedModule("vboxdrv", 520192, 1, List.of("[permanent]"), InitState.COMING),
                new LoadedModule("old", 4096, 0, List.of(), InitState.GOING)), mods);
        assertEquals(List.of(), problems);
    }

    @Test
    void aBadLineIsReportedWithFileAndLineAndTheRestIsKept() {
        List<String> problems = new ArrayList<>();
        List<LoadedModule> mods = ProcModules.parse("/x/modules",
                "a 1 0 - Live 0x0\nbroken line\nb x 0 - Live 0x0\nc 2 0 - Weird 0x0\nd 3 1 e, Live 0x0\n", problems::add);
        assertEquals(List.of("a", "d"), mods.stream().map(LoadedModule::name).toList());
        assertEquals(List.of("/x/modules:2: ignoring bad line: broken line",
                "/x/modules:3: ignoring bad line: b x 0 - Live 0x0",
                "/x/modules:4: ignoring bad line: c 2 0 - Weird 0x0"), problems);
    }

    @Test
    void procLineRoundTrips() {
        LoadedModule m = new LoadedModule("mii", 20480, 1, List.of("8139too"), InitState.LIVE);
        assertEquals("mii 20480 1 8139too, Live 0x0000000000000000", m.procLine());
        assertEquals(m, ProcModules.line(m.procLine()).orElseThrow());
    }
}
