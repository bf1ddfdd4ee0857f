package org.autoprobe.core.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.kernel.Errno;
import org.autoprobe.core.kernel.InsertFlags;
import org.junit.jupiter.api.Test;

class ModprobeRemoveTest {
    static final ModprobeRemove.Options PLAIN = new ModprobeRemove.Options(false, false, false, false, false, false);

    private final Fixture f = Fixture.standard();

    private static ToolLog log() {
        return ToolLog.modprobe(0, false);
    }

    private void load(String... names) {
        for (String n : names) {
            ToolResult r = f.insert(log(), ModprobeInsertTest.PLAIN, n);
            assertEquals(0, r.exitCode(), r.toString());
        }
    }

    private List<String> deletes() {
        return f.kernel.calls().stream().filter(c -> c.startsWith("delete_module")).toList();
    }

    @Test
    void removesTheModuleThenEachDependencyUnusedAtThatMomentLastFirstOnce() {
        // 8139too's modules.dep line is "mii crc": kmod looks at crc first (still held by mii: stays),
        // then mii (now unused: removed), and never comes back to crc
        load("8139too");
        ToolResult r = f.remove(ToolLog.modprobe(1, false), PLAIN, "8139too");
        assertEquals(new ToolResult(List.of("rmmod 8139too", "rmmod mii"), List.of(), 0), r);
        assertEquals(List.of("delete_module 8139too 4000", "delete_module mii 4000"), deletes());
        assertFalse(f.kernel.isLive("mii"));
        assertTrue(f.kernel.isLive("crc"));
    }

    @Test
    void dependenciesStillUsedStay() {
        load("8139too", "8139cp");
        assertEquals(0, f.remove(log(), PLAIN, "8139too").exitCode());
        assertEquals(List.of("delete_module 8139too 4000"), deletes());
        assertTrue(f.kernel.isLive("mii"));
    }

    @Test
    void aModuleInUseIsRefusedBeforeTheKernelIsAsked() {
        load("8139too");
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Module mii is in use."), 1),
                f.remove(log(), PLAIN, "mii"));
        assertEquals(List.of(), deletes());
    }

    @Test
    void notLoadedIsFineUnlessFirstTimeAndBuiltinIsAnError() {
        assertEquals(new ToolResult(List.of(), List.of(), 0), f.remove(log(), PLAIN, "ehci"));
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Module ehci is not in kernel."), 1),
                f.remove(log(), new ModprobeRemove.Options(false, false, false, false, true, false), "ehci"));
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Module crc32c is builtin."), 1),
                f.remove(log(), PLAIN, "crc32c"));
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Module nosuch not found."), 1),
                f.remove(log(), PLAIN, "nosuch"));
        assertEquals(List.of(), deletes());
    }

    @Test
    void everyArgumentIsAModuleAndAllGoesOnAfterANameNotFound() {
        load("ehci", "uhci");
        ToolResult r = f.remove(log(), new ModprobeRemove.Options(true, false, false, false, false, false),
                "ehci", "nosuch", "uhci");
        assertEquals(List.of("modprobe: WARNING: Module nosuch not found."), r.stderr());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("delete_module ehci 4000", "delete_module uhci 4000"), deletes());
    }

    @Test
    void softdepsPostFirstThenTheModuleThenPre() {
        f.softdeps.add(new ModprobeConfig.SoftDep("uhci", List.of("ehci"), List.of("snd", "snd_extra")));
        load("uhci");
        assertTrue(f.kernel.isLive("snd_extra"));
        assertEquals(0, f.remove(log(), PLAIN, "uhci").exitCode());
        assertEquals(List.of("delete_module snd_extra 4000", "delete_module snd 4000", "delete_module uhci 4000",
                "delete_module ehci 4000"), deletes());
    }

    @Test
    void removeCommandsReplaceTheRemoval() {
        load("snd");
        f.removes.add(new ModprobeConfig.Command("snd", "/bin/echo bye $CMDLINE_OPTS"));
        ToolResult r = f.remove(ToolLog.modprobe(1, false), PLAIN, "snd");
        assertEquals(new ToolResult(List.of("remove /bin/echo bye "), List.of(), 0), r);
        assertEquals(List.of("/bin/echo bye  [snd]"), f.commands.ran);
        assertEquals(List.of(), deletes());
        f.commands.status.put("/bin/echo bye ", 2);
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Error running remove command for snd"), 1),
                f.remove(log(), PLAIN, "snd"));
        assertEquals(0, f.remove(log(), new ModprobeRemove.Options(false, true, false, false, false, false), "snd")
                .exitCode());
        assertEquals(List.of("delete_module snd 4000"), deletes(), "-i removes the module itself");
    }

    @Test
    void forceAndKernelRefusalsAndDryRun() {
        load("ehci", "uhci");
        f.kernel.failRemove("uhci", Errno.EPERM);
        assertEquals(new ToolResult(List.of(), List.of("modprobe: ERROR: could not remove 'uhci': Operation not permitted"),
                1), f.remove(log(), PLAIN, "uhci"));
        ToolResult dry = f.remove(ToolLog.modprobe(1, false), new ModprobeRemove.Options(false, false, false, true, false,
                false), "ehci");
        assertEquals(List.of("rmmod ehci"), dry.stdout());
        assertTrue(f.kernel.isLive("ehci"));
        assertEquals(0, f.remove(log(), new ModprobeRemove.Options(false, false, false, false, false, true), "ehci")
                .exitCode());
        assertEquals(List.of("delete_module uhci 4000", "delete_module ehci 5000"), deletes());
    }

    @Test
    void anInsertAfterRemovalWorksAgain() {
        load("8139too");
        f.remove(log(), PLAIN, "8139too");
        assertEquals(0, f.insert(log(), new ModprobeInsert.Options(false, false, false, true, InsertFlags.NONE), "8139too")
                .exitCode());
        assertEquals(List.of("8139too"), f.kernel.holders("mii"));
    }
}
