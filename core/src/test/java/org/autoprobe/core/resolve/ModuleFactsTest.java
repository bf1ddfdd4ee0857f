package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.junit.jupiter.api.Test;

/** What libkmod reads about one module (path, deps, options, commands, softdeps, builtin). */
class ModuleFactsTest {
    static final String D = InMemoryDatabase.DIR + "/";

    @Test
    void pathAndDependenciesInModulesDepOrder() {
        Resolver r = new Resolver(PlanTest.db(), ModprobeConfig.EMPTY, ModuleState.nothingLoaded());
        Module m = r.module("8139too");
        assertEquals(D + "kernel/net/8139too.ko", m.path());
        assertEquals(List.of(D + "kernel/net/mii.ko", D + "kernel/lib/crc.ko"), m.dependencies());
        assertFalse(m.builtin());
        assertEquals("/opt/extra/abs.ko", r.module("abs").path());
    }

    @Test
    void builtinHasNoPath() {
        Resolver r = new Resolver(PlanTest.db(), ModprobeConfig.EMPTY, ModuleState.nothingLoaded());
        Module m = r.module("crc32c");
        assertNull(m.path());
        assertTrue(m.builtin());
    }

    @Test
    void optionsCommandsAndSoftdepsFromConfig() {
        ModprobeConfig conf = new Conf().options("e1000e", "a=1").options("e1000", "no=1").options("nic", "b=2")
                .install("e1000*", "/bin/i1").install("e1000e", "/bin/i2").remove("e*", "/bin/r")
                .softdep("e1000?", "mii", "crc").softdep("e1000e", "abs", "").alias("nic", "e1000e").build();
        Resolver r = new Resolver(PlanTest.db(), conf, ModuleState.nothingLoaded());
        Module byName = r.module("e1000e");
        assertEquals("a=1", byName.options());
        assertEquals("/bin/i1", byName.installCommand());
        assertEquals("/bin/r", byName.removeCommand());
        assertEquals(List.of("mii"), byName.softdepPre());
        assertEquals(List.of("crc"), byName.softdepPost());
        Module viaAlias = r.module(r.lookup("nic").get(0));
        assertEquals("nic", viaAlias.alias());
        assertEquals("a=1 b=2", viaAlias.options());
    }

    @Test
    void modulesDepValueWithoutColonGivesNoPath() {
        InMemoryDatabase db = new InMemoryDatabase().depLine("odd", "garbage");
        Resolver r = new Resolver(db, ModprobeConfig.EMPTY, ModuleState.nothingLoaded());
        assertNull(r.module("odd").path());
        assertEquals(List.of(), r.module("odd").dependencies());
    }

    @Test
    void dependencyWithConflictingPathDropsTheListAsKmodDoes() {
        // x's own modules.dep line says kernel/a/x.ko; y's names kernel/b/x.ko
        InMemoryDatabase db = new InMemoryDatabase().module("kernel/a/x.ko").module("kernel/y.ko", "kernel/b/x.ko")
                .module("kernel/z.ko");
        List<String> errors = new java.util.ArrayList<>();
        ModprobeConfig conf = new Conf().softdep("z", "x y", "").build();
        Resolver r = new Resolver(db, conf, ModuleState.nothingLoaded(), errors::add);
        List<LoadStep> steps = r.plan("z", ProbeFlags.showDepends(), null).get(0).steps();
        assertEquals(List.of(D + "kernel/a/x.ko", D + "kernel/y.ko", D + "kernel/z.ko"),
                steps.stream().map(LoadStep::path).toList());
        // libkmod leaves the dependency list uninitialised after the failure, so the probe list
        // parses it again: the message comes once for the lookup and once for the probe
        String message = "kmod_module 'x' already exists with different path: new-path='" + D
                + "kernel/b/x.ko' old-path='" + D + "kernel/a/x.ko'";
        assertEquals(List.of(message, message), errors);
        // in a fresh session y's dependency is there
        assertEquals(List.of(D + "kernel/b/x.ko"), r.module("y").dependencies());
    }
}
