package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
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

    /** A clock that only moves when slept on; it releases a user of a module once a given time is reached. */
    private static final class FakeClock implements ModprobeRemove.Clock {
        long now = 1_000;
        final List<Long> sleeps = new ArrayList<>();
        Runnable at;
        long when = Long.MAX_VALUE;

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public void sleepUntilMillis(long millis) {
            sleeps.add(millis - now);
            now = Math.max(now, millis);
            if (now >= when && at != null) {
                at.run();
                at = null;
            }
        }
    }

    private ToolResult removeWaiting(FakeClock clock, long waitMillis, String name) {
        ToolLog log = log();
        return new ModprobeRemove(f.resolver(log), f.kernel, f.commands, log,
                new ModprobeRemove.Options(false, false, false, false, false, false, false, waitMillis), false)
                .clock(clock).run(List.of(name));
    }

    @Test
    void waitRetriesAModuleInUseWithKmodsBackoffUntilTheTimeIsUp() {
        load("ehci");
        f.kernel.use("ehci");
        FakeClock clock = new FakeClock();
        ToolResult r = removeWaiting(clock, 100, "ehci");
        assertEquals(new ToolResult(List.of(), List.of("modprobe: ERROR: could not remove 'ehci': Resource temporarily unavailable"), 1), r);
        // 2, 4, 8, 16, 32 ms, then what is left of the 100 ms: 38 = 32 + 4 + 2, then the deadline itself
        assertEquals(List.of(2L, 4L, 8L, 16L, 32L, 32L, 4L, 2L), clock.sleeps);
        assertEquals(1_100L, clock.now);
        assertEquals(9, deletes().size(), "one try, then one after each sleep");
    }

    @Test
    void waitEndsAsSoonAsTheModuleIsFree() {
        load("ehci");
        f.kernel.use("ehci");
        FakeClock clock = new FakeClock();
        clock.when = 1_010;
        clock.at = () -> f.kernel.release("ehci");
        assertEquals(new ToolResult(List.of(), List.of(), 0), removeWaiting(clock, 60_000, "ehci"));
        assertFalse(f.kernel.isLive("ehci"));
        assertEquals(List.of(2L, 4L, 8L), clock.sleeps);
    }

    @Test
    void withoutWaitAModuleInUseIsRefusedAndWithWaitTheKernelIsAsked() {
        load("8139too");
        FakeClock clock = new FakeClock();
        ToolResult r = removeWaiting(clock, 3, "mii");
        assertEquals(List.of("modprobe: ERROR: could not remove 'mii': Resource temporarily unavailable"), r.stderr());
        assertTrue(deletes().size() > 1, deletes().toString());
        assertTrue(f.kernel.isLive("mii"));
    }

    @Test
    void removeHoldersTakesTheHoldersFirstAsKmodDoesEvenWhenTheirWalkTakesTheModule() {
        // as kmod 30 in the guest with vfat holding fat: the holder's dependency walk removes the module,
        // which is then removed "again": a failed delete_module, exit 1
        load("8139too");
        ToolLog log = ToolLog.modprobe(1, false);
        ToolResult r = new ModprobeRemove(f.resolver(log), f.kernel, f.commands, log,
                new ModprobeRemove.Options(false, false, false, false, false, false, true, 0), false).run(List.of("mii"));
        assertEquals(new ToolResult(List.of("rmmod 8139too", "rmmod mii", "rmmod mii"),
                List.of("modprobe: ERROR: could not remove 'mii': No such file or directory"), 1), r);
        assertFalse(f.kernel.isLive("8139too"));
        assertFalse(f.kernel.isLive("mii"));
        assertTrue(f.kernel.isLive("crc"), "crc was still held when 8139too's walk looked at it");
    }

    @Test
    void removeHoldersGoesLastHolderFirstAndStopsAtAFailure() {
        load("8139too", "8139cp");
        f.kernel.failRemove("8139too", Errno.EPERM);
        ToolLog log = ToolLog.modprobe(0, false);
        ToolResult r = new ModprobeRemove(f.resolver(log), f.kernel, f.commands, log,
                new ModprobeRemove.Options(false, false, false, false, false, false, true, 0), false).run(List.of("mii"));
        assertEquals(1, r.exitCode());
        assertEquals(List.of("delete_module 8139cp 4000", "delete_module 8139too 4000"), deletes(),
                "8139cp (listed last) first; 8139too's failure stops before mii");
        assertTrue(f.kernel.isLive("mii"));
    }
}
