package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.resolve.Conf;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.junit.jupiter.api.Test;

/** modprobe's modes that only decide and print (-R, -D, -n): output and exit codes (tools/modprobe.c). */
class ModprobeDryRunTest {
    static final String D = InMemoryDatabase.DIR.toString();

    /**
     * What these modes work on: the standard tree, {@code conf}, {@code loaded}; the kernel, commands
     * and syslog are refused, as these modes must not reach them.
     */
    record Tree(ModprobeConfig conf, ModuleState state) implements Modprobe.Host {
        @Override
        public ModuleDatabase database() {
            return InMemoryDatabase.standard();
        }

        @Override
        public ModprobeConfig config() {
            return conf;
        }

        @Override
        public Kernel kernel() {
            throw new IllegalStateException("the kernel was asked for");
        }

        @Override
        public ModuleState loaded() {
            return state;
        }

        @Override
        public CommandRunner commands() {
            throw new IllegalStateException("commands were asked for");
        }

        @Override
        public LogSink openSyslog() {
            throw new IllegalStateException("syslog was opened");
        }
    }

    static Modprobe modprobe(ModprobeConfig conf) {
        return new Modprobe(new Tree(conf, ModuleState.nothingLoaded()));
    }

    static Modprobe.Options req(List<String> args, boolean all, boolean resolve, boolean show, boolean dry,
                                int verbose, boolean quiet, boolean ignoreInstall, boolean blacklist, boolean first) {
        return new Modprobe.Options(args, false, false, null, false, false, false, all, resolve, show, false, false,
                false, dry, ignoreInstall, blacklist, first, quiet, verbose, false);
    }

    @Test
    void notFoundIsFatalWithExitOne() {
        ToolResult r = modprobe(ModprobeConfig.EMPTY).run(Modprobe.Options.showDepends(List.of("nosuch")));
        assertEquals(List.of(), r.stdout());
        assertEquals(List.of("modprobe: FATAL: Module nosuch not found in directory " + D), r.stderr());
        assertEquals(1, r.exitCode());
    }

    @Test
    void invalidAliasIsReportedAsNotFound() {
        ToolResult r = modprobe(ModprobeConfig.EMPTY).run(Modprobe.Options.showDepends(List.of("a[b")));
        assertEquals(List.of("modprobe: FATAL: Module a[b not found in directory " + D), r.stderr());
        assertEquals(1, r.exitCode());
    }

    @Test
    void allWarnsPerMissingNameGoesOnAndFails() {
        ToolResult r = modprobe(ModprobeConfig.EMPTY)
                .run(Modprobe.Options.showDepends(List.of("nosuch", "e1000e", "nosuch2")).withAll(true));
        assertEquals(List.of("insmod " + D + "/kernel/net/e1000e.ko "), r.stdout());
        assertEquals(List.of("modprobe: WARNING: Module nosuch not found in directory " + D,
                "modprobe: WARNING: Module nosuch2 not found in directory " + D), r.stderr());
        assertEquals(1, r.exitCode());
    }

    @Test
    void quietSilencesNotFoundButStillFails() {
        ToolResult r = modprobe(ModprobeConfig.EMPTY)
                .run(req(List.of("nosuch"), false, false, true, false, 0, true, false, false, false));
        assertEquals(List.of(), r.stderr());
        assertEquals(1, r.exitCode());
    }

    @Test
    void missingParameters() {
        ToolResult r = modprobe(ModprobeConfig.EMPTY).run(Modprobe.Options.showDepends(List.of()));
        assertEquals(List.of("modprobe: ERROR: missing parameters. See -h."), r.stderr());
        assertEquals(1, r.exitCode());
    }

    @Test
    void resolveAliasPrintsEveryMatchAndIgnoresTheBlacklist() {
        ToolResult r = modprobe(new Conf().blacklist("8139cp").build())
                .run(Modprobe.Options.resolveAlias(List.of("pci:v000010ECd00008139x")));
        assertEquals(List.of("8139too", "8139cp"), r.stdout());
        assertEquals(0, r.exitCode());
    }

    @Test
    void aliasToMissingModuleResolvesButShowsNothingAndSucceeds() {
        Modprobe mp = modprobe(new Conf().alias("pci:v*", "nosuchmod").build());
        assertEquals(List.of("nosuchmod"), mp.run(Modprobe.Options.resolveAlias(List.of("pci:v1"))).stdout());
        ToolResult r = mp.run(Modprobe.Options.showDepends(List.of("pci:v1")));
        assertEquals(List.of(), r.stdout());
        assertEquals(List.of(), r.stderr());
        assertEquals(0, r.exitCode());
    }

    @Test
    void blacklistedAliasIsSkippedSilentlyWithExitZero() {
        ToolResult r = modprobe(new Conf().blacklist("8139cp").build())
                .run(Modprobe.Options.showDepends(List.of("pci:v000010ECd00008139x")));
        assertEquals(List.of("insmod " + D + "/kernel/lib/crc.ko ", "insmod " + D + "/kernel/net/mii.ko ",
                "insmod " + D + "/kernel/net/8139too.ko "), r.stdout());
        assertEquals(0, r.exitCode());
        // -b applies it to a plain name too
        ToolResult b = modprobe(new Conf().blacklist("e1000e").build())
                .run(req(List.of("e1000e"), false, false, true, false, 0, false, false, true, false));
        assertEquals(List.of(), b.stdout());
        assertEquals(0, b.exitCode());
    }

    @Test
    void extraArgumentsBecomeTargetOptionsQuotedWhenTheyHoldSpaces() {
        ToolResult r = modprobe(new Conf().options("e1000e", "foo=1").build())
                .run(Modprobe.Options.showDepends(List.of("e1000e", "x=1", "y=a b", "z='c d'", "flag")));
        assertEquals(List.of("insmod " + D + "/kernel/net/e1000e.ko foo=1 x=1 y=\"a b\" z='c d' flag"), r.stdout());
    }

    @Test
    void dryRunVerboseSkipsLoadedModulesAndFirstTimeFails() {
        Set<String> live = Set.of("mii", "e1000e");
        Modprobe mp = new Modprobe(new Tree(ModprobeConfig.EMPTY, live::contains));
        ToolResult nv = mp.run(req(List.of("8139too"), false, false, false, true, 1, false, false, false, false));
        assertEquals(List.of("insmod " + D + "/kernel/lib/crc.ko ", "insmod " + D + "/kernel/net/8139too.ko "), nv.stdout());
        assertEquals(0, nv.exitCode());
        // -n without -v prints nothing
        assertEquals(List.of(), mp.run(req(List.of("8139too"), false, false, false, true, 0, false, false, false, false)).stdout());
        ToolResult first = mp.run(req(List.of("e1000e"), false, false, false, true, 0, false, false, false, true));
        assertEquals(List.of("modprobe: ERROR: could not insert 'e1000e': Module already in kernel"), first.stderr());
        assertEquals(1, first.exitCode());
        ToolResult again = mp.run(req(List.of("e1000e"), false, false, false, true, 0, false, false, false, false));
        assertEquals(0, again.exitCode());
    }

    @Test
    void unresolvableSoftdepNameIsReportedAndTheRestGoesOn() {
        ToolResult r = modprobe(new Conf().softdep("e1000e", "bad]name abs", "").build())
                .run(Modprobe.Options.showDepends(List.of("e1000e")));
        assertEquals(List.of("modprobe: ERROR: failed to lookup soft dependency 'bad]name', continuing anyway."), r.stderr());
        assertEquals(List.of("insmod /opt/extra/abs.ko ", "insmod " + D + "/kernel/net/e1000e.ko "), r.stdout());
        assertEquals(0, r.exitCode());
    }

    /**
     * kmod 34's modprobe loads no weak dependency and prints none: tools/modprobe.c reads weakdeps only in
     * show_config, and its testsuite's modprobe_weakdep_loop expects the weak dependency not loaded.
     */
    @Test
    void weakdepsAreNeitherShownNorLoaded() {
        ModprobeConfig weak = new Conf().weakdep("8139too", "e1000e", "abs").weakdep("e1000e", "8139too").build();
        for (String name : List.of("8139too", "e1000e")) {
            ToolResult plain = modprobe(ModprobeConfig.EMPTY).run(Modprobe.Options.showDepends(List.of(name)));
            ToolResult withWeak = modprobe(weak).run(Modprobe.Options.showDepends(List.of(name)));
            assertEquals(plain, withWeak, name);
            ToolResult dry = modprobe(weak).run(req(List.of(name), false, false, false, true, 1, false, false, false,
                    false));
            assertEquals(plain.stdout(), dry.stdout(), name);
        }
        assertEquals(List.of("insmod " + D + "/kernel/lib/crc.ko ", "insmod " + D + "/kernel/net/mii.ko ",
                "insmod " + D + "/kernel/net/8139too.ko "),
                modprobe(weak).run(Modprobe.Options.showDepends(List.of("8139too"))).stdout());
    }

    @Test
    void withoutRDOrNTheKernelIsAskedFor() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> modprobe(ModprobeConfig.EMPTY)
                .run(req(List.of("e1000e"), false, false, false, false, 0, false, false, false, false)));
        assertEquals("the kernel was asked for", e.getMessage());
    }
}
