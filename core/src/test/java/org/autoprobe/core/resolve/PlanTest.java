package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.junit.jupiter.api.Test;

/** kmod_module_probe_insert_module's decisions. */
class PlanTest {
    static final String D = InMemoryDatabase.DIR + "/";

    static InMemoryDatabase db() {
        return InMemoryDatabase.standard();
    }

    static List<String> lines(Resolver r, String name, ProbeFlags flags, String extra) {
        return r.plan(name, flags, extra).stream().flatMap(p -> p.steps().stream())
                .flatMap(s -> s.showDependsLine().stream()).toList();
    }

    static Resolver resolver(ModprobeConfig conf) {
        return new Resolver(db(), conf, ModuleState.nothingLoaded());
    }

    @Test
    void dependenciesLoadInReverseModulesDepOrderWithAbsolutePaths() {
        assertEquals(List.of("insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "insmod " + D + "kernel/net/8139too.ko "), lines(resolver(ModprobeConfig.EMPTY), "8139too",
                ProbeFlags.showDepends(), null));
        assertEquals(List.of("insmod /opt/extra/abs.ko "), lines(resolver(ModprobeConfig.EMPTY), "abs",
                ProbeFlags.showDepends(), null));
    }

    @Test
    void everyMatchRepeatsItsWholeChain() {
        // 8139too comes first: lower priority (earlier in module order) in this fixture
        assertEquals(List.of("insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "insmod " + D + "kernel/net/8139too.ko ", "insmod " + D + "kernel/lib/crc.ko ",
                "insmod " + D + "kernel/net/mii.ko ", "insmod " + D + "kernel/net/8139cp.ko "),
                lines(resolver(ModprobeConfig.EMPTY), "pci:v000010ECd00008139sv0", ProbeFlags.showDepends(), null));
    }

    @Test
    void optionsOfNameAndAliasPatternInConfigOrderThenExtraOptionsForTheTargetOnly() {
        ModprobeConfig conf = new Conf().options("mii", "m=1").alias("net_rtl", "8139too")
                .options("8139too", "a=1").options("net_rtl", "b=2").options("other", "c=3")
                .options("8139too", "").options("8139too", "d=4").build();
        Resolver r = resolver(conf);
        assertEquals(List.of("insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko m=1 ",
                "insmod " + D + "kernel/net/8139too.ko a=1 b=2 d=4 x=9"), lines(r, "net-rtl", ProbeFlags.showDepends(), "x=9"));
        // by plain name the alias pattern's options do not apply; no extra options leaves a trailing space
        assertEquals("insmod " + D + "kernel/net/8139too.ko a=1 d=4 ",
                lines(r, "8139too", ProbeFlags.showDepends(), null).get(2));
        // only extra options: no trailing space
        assertEquals("insmod " + D + "kernel/net/e1000e.ko x=9", lines(r, "e1000e", ProbeFlags.showDepends(), "x=9").get(0));
    }

    @Test
    void installCommandReplacesInsmodForTargetAndDependenciesFirstGlobWins() {
        ModprobeConfig conf = new Conf().install("m*", "/bin/first $CMDLINE_OPTS;$CMDLINE_OPTS").install("mii", "/bin/second")
                .options("mii", "q=1").build();
        List<LoadPlan> plans = resolver(conf).plan("8139too", ProbeFlags.showDepends(), null);
        List<LoadStep> steps = plans.get(0).steps();
        assertEquals(LoadStep.Kind.INSTALL, steps.get(1).kind());
        assertEquals("install /bin/first $CMDLINE_OPTS;$CMDLINE_OPTS q=1 ", steps.get(1).showDependsLine().orElseThrow());
        assertEquals("/bin/first q=1 ;q=1 ", steps.get(1).commandLine());
        assertEquals(LoadStep.Kind.INSMOD, steps.get(2).kind());
    }

    @Test
    void softdepsPreAndPostEachWithTheirOwnDependenciesRelisted() {
        // only the first matching line counts (abs never appears); the glob also gives 8139cp its own
        // softdeps, so e1000e (8139cp's post) is already visited before 8139too: kmod 30 prints the same
        ModprobeConfig conf = new Conf().softdep("8139*", "8139cp", "e1000e").softdep("8139too", "abs", "").build();
        assertEquals(List.of("insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "insmod " + D + "kernel/net/8139cp.ko ", "insmod " + D + "kernel/net/e1000e.ko ",
                "insmod " + D + "kernel/net/8139too.ko "), lines(resolver(conf), "8139too", ProbeFlags.showDepends(), null));
        ModprobeConfig exact = new Conf().softdep("8139too", "8139cp", "e1000e").build();
        assertEquals(List.of("insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "insmod " + D + "kernel/net/8139cp.ko ", "insmod " + D + "kernel/net/8139too.ko ",
                "insmod " + D + "kernel/net/e1000e.ko "), lines(resolver(exact), "8139too", ProbeFlags.showDepends(), null));
    }

    @Test
    void softdepNamesGoThroughTheWholeLookupChain() {
        ModprobeConfig conf = new Conf().softdep("e1000e", "pci:v000010ECd00008139x", "").build();
        List<String> got = lines(resolver(conf), "e1000e", ProbeFlags.showDepends(), null);
        assertEquals(7, got.size());
        assertEquals("insmod " + D + "kernel/net/8139too.ko ", got.get(2));
        assertEquals("insmod " + D + "kernel/net/8139cp.ko ", got.get(5));
    }

    @Test
    void installCommandIgnoredOnlyWhenASoftdepNameResolves() {
        Conf base = new Conf().install("e1000e", "/bin/e");
        Resolver unresolved = resolver(base.softdep("e1000e", "nosuch", "").build());
        assertEquals(List.of("install /bin/e "), lines(unresolved, "e1000e", ProbeFlags.showDepends(), null));
        Resolver resolved = resolver(new Conf().install("e1000e", "/bin/e").softdep("e1000e", "nosuch abs", "").build());
        assertEquals(List.of("insmod /opt/extra/abs.ko ", "insmod " + D + "kernel/net/e1000e.ko "),
                lines(resolved, "e1000e", ProbeFlags.showDepends(), null));
    }

    @Test
    void dependenciesAreInsertedBeforeAnInstallCommand() {
        Resolver r = resolver(new Conf().install("8139too", "/bin/x").build());
        assertEquals(List.of("insmod " + D + "kernel/lib/crc.ko ", "insmod " + D + "kernel/net/mii.ko ",
                "install /bin/x "), lines(r, "8139too", ProbeFlags.showDepends(), null));
    }

    @Test
    void ignoreInstallSkipsTheTargetsCommandAndSoftdepsButNotItsDependencies() {
        ModprobeConfig conf = new Conf().install("8139too", "/bin/x").install("mii", "/bin/m")
                .softdep("8139too", "e1000e", "").softdep("crc", "abs", "").build();
        assertEquals(List.of("insmod /opt/extra/abs.ko ", "insmod " + D + "kernel/lib/crc.ko ", "install /bin/m ",
                "insmod " + D + "kernel/net/8139too.ko "),
                lines(resolver(conf), "8139too", ProbeFlags.showDepends().withIgnoreCommands(true), null));
    }

    @Test
    void softdepChainsAreNotRequiredTheTargetAndDependenciesAre() {
        ModprobeConfig conf = new Conf().softdep("e1000e", "abs", "mii").build();
        List<LoadStep> steps = resolver(conf).plan("e1000e", ProbeFlags.showDepends(), null).get(0).steps();
        assertEquals(List.of("abs", "e1000e", "crc", "mii"), steps.stream().map(LoadStep::module).toList());
        assertEquals(List.of(false, true, false, false), steps.stream().map(LoadStep::required).toList());
        List<LoadStep> dep = resolver(conf).plan("8139too", ProbeFlags.showDepends(), null).get(0).steps();
        assertTrue(dep.stream().allMatch(LoadStep::required));
    }

    @Test
    void blacklistAliasOnlyStopsAliasLookupsNotNamesNorDependencies() {
        ModprobeConfig conf = new Conf().blacklist("8139cp").blacklist("mii").alias("rtl", "8139too")
                .blacklist("8139too").build();
        Resolver r = resolver(conf);
        List<LoadPlan> viaIndex = r.plan("pci:v000010ECd00008139sv0", ProbeFlags.showDepends(), null);
        assertEquals(List.of(LoadPlan.Outcome.BLACKLISTED, LoadPlan.Outcome.BLACKLISTED),
                viaIndex.stream().map(LoadPlan::outcome).toList());
        assertEquals(LoadPlan.Outcome.BLACKLISTED, r.plan("rtl", ProbeFlags.showDepends(), null).get(0).outcome());
        LoadPlan byName = r.plan("8139too", ProbeFlags.showDepends(), null).get(0);
        assertEquals(LoadPlan.Outcome.LOAD, byName.outcome());
        assertEquals(3, byName.steps().size());
    }

    @Test
    void blacklistAlwaysStopsNamesAndAllDropsBlacklistedDependencies() {
        ModprobeConfig conf = new Conf().blacklist("mii").blacklist("e1000e").build();
        Resolver r = resolver(conf);
        ProbeFlags always = ProbeFlags.showDepends().withBlacklist(ProbeFlags.Blacklist.ALWAYS);
        assertEquals(LoadPlan.Outcome.BLACKLISTED, r.plan("e1000e", always, null).get(0).outcome());
        assertEquals(3, r.plan("8139too", always, null).get(0).steps().size());
        ProbeFlags all = ProbeFlags.showDepends().withBlacklist(ProbeFlags.Blacklist.ALL);
        assertEquals(List.of("crc", "8139too"),
                r.plan("8139too", all, null).get(0).steps().stream().map(LoadStep::module).toList());
        ProbeFlags none = ProbeFlags.showDepends().withBlacklist(ProbeFlags.Blacklist.NONE);
        assertEquals(LoadPlan.Outcome.LOAD, r.plan("e1000e", none, null).get(0).outcome());
    }

    @Test
    void loadedModulesAreSkippedUnlessIgnoreLoaded() {
        Set<String> live = Set.of("mii", "e1000e");
        Resolver r = new Resolver(db(), ModprobeConfig.EMPTY, live::contains);
        LoadPlan plan = r.plan("8139too", ProbeFlags.modprobe(), null).get(0);
        assertEquals(List.of(LoadStep.Kind.INSMOD, LoadStep.Kind.ALREADY_LOADED, LoadStep.Kind.INSMOD),
                plan.steps().stream().map(LoadStep::kind).toList());
        assertEquals(List.of(), lines(r, "e1000e", ProbeFlags.modprobe(), null));
        assertEquals(LoadPlan.Outcome.ALREADY_LOADED, r.plan("e1000e", ProbeFlags.modprobe(), null).get(0).outcome());
        assertEquals(LoadPlan.Outcome.ALREADY_LOADED_ERROR,
                r.plan("e1000e", ProbeFlags.modprobe().withFailOnLoaded(true), null).get(0).outcome());
        assertEquals(List.of("insmod " + D + "kernel/net/e1000e.ko "), lines(r, "e1000e", ProbeFlags.showDepends(), null));
    }

    @Test
    void builtinModulesAreInTheKernelAndShownAsBuiltin() {
        Resolver r = resolver(ModprobeConfig.EMPTY);
        assertEquals(LoadPlan.Outcome.ALREADY_LOADED, r.plan("crc32c", ProbeFlags.modprobe(), null).get(0).outcome());
        assertEquals(List.of("builtin crc32c"), lines(r, "crc32c", ProbeFlags.showDepends(), null));
    }

    @Test
    void aliasToAMissingModulePrintsNothing() {
        Resolver r = resolver(new Conf().alias("pci:*", "nosuchmod").build());
        List<LoadPlan> plans = r.plan("pci:v000010ECd00008139sv0", ProbeFlags.showDepends(), null);
        assertEquals(1, plans.size());
        assertEquals(LoadStep.Kind.MISSING, plans.get(0).steps().get(0).kind());
        assertFalse(plans.get(0).steps().get(0).showDependsLine().isPresent());
    }
}
