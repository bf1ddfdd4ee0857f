package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.junit.jupiter.api.Test;

class ModprobeInsertTest {
    static final String D = Fixture.DIR + "/kernel/";
    static final ModprobeInsert.Options PLAIN = new ModprobeInsert.Options(false, false, false, false, InsertFlags.NONE);
    static final ModprobeInsert.Options FIRST_TIME = new ModprobeInsert.Options(false, false, false, true, InsertFlags.NONE);
    static final ModprobeInsert.Options ALL = new ModprobeInsert.Options(true, false, false, false, InsertFlags.NONE);

    private final Fixture f = Fixture.standard();

    private static ToolLog log() {
        return ToolLog.modprobe(0, false);
    }

    @Test
    void dependenciesGoFirstAndOnlyWhatIsMissingIsInserted() throws Exception {
        ToolResult r = f.insert(log(), PLAIN, "8139too");
        assertEquals(new ToolResult(List.of(), List.of(), 0), r);
        assertEquals(List.of("finit_module crc  0", "finit_module mii  0", "finit_module 8139too  0"), f.kernel.calls());
        assertEquals(List.of("8139too"), f.kernel.holders("mii"));
        f.insert(log(), PLAIN, "8139cp");
        assertEquals("finit_module 8139cp  0", f.kernel.calls().get(3));
        assertEquals(4, f.kernel.calls().size(), "crc and mii were loaded already");
    }

    @Test
    void verbosePrintsEachInsertAndParametersReachTheTargetOnly() {
        f.options.add(new ModprobeConfig.Options("mii", "debug=1"));
        ToolResult r = f.insert(ToolLog.modprobe(1, false), PLAIN, "8139too", "media=2", "name=a b");
        assertEquals(List.of("insmod " + D + "crc.ko ", "insmod " + D + "mii.ko debug=1 ",
                "insmod " + D + "8139too.ko media=2 name=\"a b\""), r.stdout());
        assertEquals(List.of("finit_module crc  0", "finit_module mii debug=1  0",
                "finit_module 8139too media=2 name=\"a b\" 0"), f.kernel.calls());
    }

    @Test
    void alreadyLoadedIsSuccessUnlessFirstTime() throws Exception {
        f.insert(log(), PLAIN, "mii");
        int calls = f.kernel.calls().size();
        assertEquals(0, f.insert(log(), PLAIN, "mii").exitCode());
        assertEquals(new ToolResult(List.of(), List.of("modprobe: ERROR: could not insert 'mii': Module already in kernel"), 1),
                f.insert(log(), FIRST_TIME, "mii"));
        assertEquals(new ToolResult(List.of(), List.of(
                "modprobe: ERROR: could not insert 'crc32c': Module already in kernel"), 1),
                f.insert(log(), FIRST_TIME, "crc32c"), "builtin counts as in the kernel");
        assertEquals(0, f.insert(log(), PLAIN, "crc32c").exitCode());
        assertEquals(calls, f.kernel.calls().size());
    }

    @Test
    void everyModuleAnAliasYieldsIsLoadedSharedDependenciesOnce() throws Exception {
        assertEquals(0, f.insert(log(), PLAIN, "pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00").exitCode());
        assertTrue(f.kernel.isLive("8139too"));
        assertTrue(f.kernel.isLive("8139cp"));
        assertEquals(List.of("finit_module crc  0", "finit_module mii  0", "finit_module 8139too  0",
                "finit_module 8139cp  0"), f.kernel.calls());
    }

    @Test
    void aFailingRequiredStepStopsThePlanAndIsReportedForTheAskedForModule() {
        f.kernel.failInsert("crc", Errno.EKEYREJECTED);
        ToolResult r = f.insert(ToolLog.modprobe(2, false), PLAIN, "8139too");
        assertEquals(List.of("insmod " + D + "crc.ko "), r.stdout());
        assertEquals(List.of("modprobe: INFO: Failed to insert module '" + D + "crc.ko': Key was rejected by service",
                "modprobe: ERROR: could not insert '8139too': Key was rejected by service"), r.stderr());
        assertEquals(1, r.exitCode());
        assertEquals(List.of("finit_module crc  0"), f.kernel.calls());
    }

    @Test
    void softdepFailuresDoNotStopTheLoad() {
        f.softdeps.add(new ModprobeConfig.SoftDep("uhci", List.of("ehci"), List.of("snd")));
        f.kernel.failInsert("ehci", Errno.ENOEXEC);
        f.kernel.failInsert("snd", Errno.ENOEXEC);
        ToolResult r = f.insert(log(), PLAIN, "uhci");
        assertEquals(new ToolResult(List.of(), List.of(), 0), r);
        assertEquals(List.of("finit_module ehci  0", "finit_module uhci  0", "finit_module snd  0"), f.kernel.calls());
        assertTrue(f.kernel.isLive("uhci"));
    }

    @Test
    void unknownSymbolOrParameterHasKmodsWording() {
        f.kernel.acceptOnly(Fixture.file("ehci"), "debug");
        ToolResult r = f.insert(log(), PLAIN, "ehci", "bogus=1");
        assertEquals(List.of("modprobe: ERROR: could not insert 'ehci': Unknown symbol in module, or unknown parameter"
                + " (see dmesg)"), r.stderr());
        assertEquals(1, r.exitCode());
    }

    @Test
    void installCommandsRunThroughTheShellWithTheirOptions() {
        f.installs.add(new ModprobeConfig.Command("snd", "/bin/true $CMDLINE_OPTS; echo done"));
        f.options.add(new ModprobeConfig.Options("snd", "index=1"));
        ToolResult r = f.insert(ToolLog.modprobe(1, false), PLAIN, "snd", "extra=2");
        assertEquals(List.of("install /bin/true $CMDLINE_OPTS; echo done index=1 extra=2"), r.stdout());
        assertEquals(List.of("/bin/true index=1 extra=2; echo done [snd]"), f.commands.ran);
        assertEquals(0, r.exitCode());
        assertEquals(List.of(), f.kernel.calls());
        f.commands.status.put("/bin/true index=1 extra=2; echo done", 3);
        ToolResult bad = f.insert(log(), PLAIN, "snd", "extra=2");
        assertEquals(List.of("modprobe: ERROR: Error running install command '/bin/true index=1 extra=2; echo done' for"
                + " module snd: retcode 3", "modprobe: ERROR: could not insert 'snd': Invalid argument"), bad.stderr());
        assertEquals(1, bad.exitCode());
        ToolResult ignored = f.insert(log(), new ModprobeInsert.Options(false, true, false, false, InsertFlags.NONE), "snd");
        assertEquals(0, ignored.exitCode());
        assertEquals(List.of("finit_module snd index=1  0"), f.kernel.calls(), "-i inserts the file instead");
    }

    @Test
    void notFoundIsFatalAloneAndAWarningWithAll() {
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Module nosuch not found in directory "
                + Fixture.DIR), 1), f.insert(log(), PLAIN, "nosuch"));
        ToolResult all = f.insert(log(), ALL, "nosuch", "ehci");
        assertEquals(List.of("modprobe: WARNING: Module nosuch not found in directory " + Fixture.DIR), all.stderr());
        assertEquals(1, all.exitCode());
        assertTrue(f.kernel.isLive("ehci"), "-a goes on after a name not found");
        assertEquals(new ToolResult(List.of(), List.of(), 1), f.insert(ToolLog.modprobe(0, true), PLAIN, "nosuch"));
    }

    @Test
    void forceFlagsReachTheKernel() {
        f.insert(log(), new ModprobeInsert.Options(false, false, false, false, new InsertFlags(false, true)), "ehci");
        assertEquals(List.of("finit_module ehci  2"), f.kernel.calls());
        assertFalse(f.kernel.isLive("uhci"));
    }
}
