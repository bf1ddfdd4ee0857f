package org.autoprobe.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.elf.ElfBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected outputs were produced by kmod 30's depmod on the same trees. */
class IndexBuilderTest {
    @TempDir
    Path tmp;

    private static ElfBuilder mod() {
        return ElfBuilder.module();
    }

    @Test
    void withoutModulesOrderModulesComeInKmodsNameHashOrder() throws Exception {
        TestTree t = new TestTree(tmp);
        for (String n : new String[] {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "snd-foo", "x"}) {
            t.module("kernel/a/" + n + ".ko", mod());
        }
        ModuleIndex index = t.build();
        assertEquals(List.of("gamma", "beta", "zeta", "theta", "delta", "alpha", "x", "epsilon", "snd_foo", "eta"),
                index.modules().stream().map(IndexedModule::name).toList());
        assertEquals("kernel/a/snd-foo.ko", index.module("snd_foo").orElseThrow().path());
        assertEquals(8, index.module("snd_foo").orElseThrow().priority());
        assertTrue(t.problems.contains(IndexProblem.warning("could not open modules.order at " + t.dir
                + ": No such file or directory")), t.problems.toString());
    }

    @Test
    void modulesOrderFirstLastDuplicateLineCountsRestInHashOrder() throws Exception {
        TestTree t = new TestTree(tmp);
        for (String n : new String[] {"alpha", "beta", "gamma", "delta", "x"}) {
            t.module("kernel/a/" + n + ".ko", mod());
        }
        t.file("modules.order", "kernel/a/x.ko\nkernel/a/alpha.ko\nkernel/a/nothere.ko\nkernel/a/x.ko\n");
        ModuleIndex index = t.build();
        // hash order of the rest: gamma, beta, delta
        assertEquals(List.of("alpha", "x", "gamma", "beta", "delta"),
                index.modules().stream().map(IndexedModule::name).toList());
    }

    @Test
    void modulesOrderWithoutFinalNewlineIsReportedAndIgnored() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a/alpha.ko", mod()).module("kernel/a/gamma.ko", mod());
        t.file("modules.order", "kernel/a/alpha.ko\nkernel/a/gamma.ko");
        ModuleIndex index = t.build();
        assertEquals(List.of("gamma", "alpha"), index.modules().stream().map(IndexedModule::name).toList());
        assertEquals(List.of(t.dir + "/modules.order:2 corrupted line misses '\\n'"), t.errors());
    }

    private TestTree dependencyTree() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/base.ko", mod().exports("base_fn"));
        t.module("kernel/mid1.ko", mod().exports("mid1_fn").needs("base_fn"));
        t.module("kernel/mid2.ko", mod().exports("mid2_fn").needs("base_fn"));
        t.module("kernel/top.ko", mod().needs("printk", "mid2_fn", "mid1_fn", "base_fn"));
        t.module("kernel/dup1.ko", mod().exports("shared_fn"));
        t.module("kernel/dup2.ko", mod().exports("shared_fn"));
        t.module("kernel/user.ko", mod().needs("shared_fn").needsWeak("mid1_fn"));
        t.file("modules.order", "kernel/base.ko\nkernel/mid1.ko\nkernel/mid2.ko\nkernel/top.ko\nkernel/dup2.ko\n"
                + "kernel/dup1.ko\nkernel/user.ko\n");
        return t;
    }

    @Test
    void transitiveDependenciesInTopologicalOrderAndLastExporterWins() throws Exception {
        TestTree t = dependencyTree();
        ModuleIndex index = t.build();
        assertEquals("""
                kernel/base.ko:
                kernel/mid1.ko: kernel/base.ko
                kernel/mid2.ko: kernel/base.ko
                kernel/top.ko: kernel/mid1.ko kernel/mid2.ko kernel/base.ko
                kernel/dup2.ko:
                kernel/dup1.ko:
                kernel/user.ko: kernel/dup1.ko kernel/mid1.ko kernel/base.ko
                """, t.render(index, "modules.dep"));
        assertEquals("dup1", index.symbolOwner("shared_fn").orElseThrow());
        assertEquals(List.of("mid1", "mid2", "base"), index.module("top").orElseThrow().dependencies());
        assertEquals("""
                # Aliases for symbols, used by symbol_request().
                alias symbol:base_fn base
                alias symbol:mid1_fn mid1
                alias symbol:shared_fn dup1
                alias symbol:mid2_fn mid2
                """, t.render(index, "modules.symbols"));
    }

    @Test
    void unknownSymbolsAreReportedOnlyWithKernelSymbols() throws Exception {
        TestTree t = dependencyTree();
        t.builder().kernelSymbols(java.util.Set.of("other")).build();
        assertEquals(List.of(IndexProblem.warning(t.dir + "/kernel/top.ko needs unknown symbol printk")),
                t.problems.stream().filter(p -> p.message().contains("unknown")).toList());
    }

    @Test
    void cyclesAreNamedAsKmodNamesThem() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a.ko", mod().exports("a_fn").needs("b_fn"));
        t.module("kernel/b.ko", mod().exports("b_fn").needs("a_fn"));
        t.module("kernel/c.ko", mod().needs("a_fn"));
        t.module("kernel/d.ko", mod().exports("d_fn").needs("e_fn"));
        t.module("kernel/e.ko", mod().exports("e_fn").needs("d_fn"));
        DependencyCycleException e = assertThrows(DependencyCycleException.class, t::build);
        assertEquals(List.of("b -> a -> b", "e -> d -> e"), e.cycles());
        assertEquals(4, e.moduleCount());
    }

    private TestTree duplicateTree() throws Exception {
        TestTree t = new TestTree(tmp.resolve("root"));
        t.module("kernel/drivers/foo.ko", mod().exports("k_fn"));
        t.module("updates/foo.ko", mod().exports("u_fn"));
        t.module("build/buildmod.ko", mod().exports("b_fn"));
        t.module("source/srcmod.ko", mod().exports("s_fn"));
        t.module("kernel/user.ko", mod().needs("k_fn", "u_fn"));
        return t;
    }

    private static DepmodConfig config(List<String> search, List<DepmodConfig.Override> overrides,
                                       List<DepmodConfig.External> externals, List<String> excludes) {
        return new DepmodConfig(search, overrides, externals, excludes);
    }

    @Test
    void duplicatesUpdatesWinByDefaultAndBuildSourceAreSkipped() throws Exception {
        TestTree t = duplicateTree();
        assertEquals("updates/foo.ko:\nkernel/user.ko: updates/foo.ko\n", t.render(t.build(), "modules.dep"));
    }

    @Test
    void duplicatesFollowSearchOrder() throws Exception {
        TestTree t = duplicateTree();
        ModuleIndex index = t.builder().config(config(List.of(DepmodConfig.BUILT_IN, "updates"), List.of(), List.of(),
                List.of())).build();
        assertEquals("kernel/drivers/foo.ko:\nkernel/user.ko: kernel/drivers/foo.ko\n", t.render(index, "modules.dep"));
    }

    @Test
    void overrideBeatsSearchWhenTheKernelMatches() throws Exception {
        TestTree t = duplicateTree();
        ModuleIndex index = t.builder().config(config(List.of(), List.of(new DepmodConfig.Override("foo", "^1\\.", "kernel/drivers")),
                List.of(), List.of())).build();
        assertEquals("kernel/drivers/foo.ko:\nkernel/user.ko: kernel/drivers/foo.ko\n", t.render(index, "modules.dep"));
        TestTree t2 = duplicateTree();
        ModuleIndex other = t2.builder().config(config(List.of(), List.of(new DepmodConfig.Override("foo", "^2\\.", "kernel/drivers")),
                List.of(), List.of())).build();
        assertEquals("updates/foo.ko:\nkernel/user.ko: updates/foo.ko\n", t2.render(other, "modules.dep"));
    }

    @Test
    void excludedDirectoriesAreSkipped() throws Exception {
        TestTree t = duplicateTree();
        ModuleIndex index = t.builder().config(config(List.of(), List.of(), List.of(), List.of("updates"))).build();
        assertEquals("kernel/drivers/foo.ko:\nkernel/user.ko: kernel/drivers/foo.ko\n", t.render(index, "modules.dep"));
    }

    @Test
    void externalDirectoriesAreSearchedAndListedWithAbsolutePaths() throws Exception {
        TestTree t = duplicateTree();
        Path ext = tmp.resolve("ext");
        mod().exports("x_fn").writeTo(ext.resolve("foo.ko"));
        ModuleIndex index = t.builder().config(config(List.of("external", DepmodConfig.BUILT_IN), List.of(),
                List.of(new DepmodConfig.External("*", List.of(ext.toString()))), List.of())).build();
        assertEquals(ext + "/foo.ko:\nkernel/user.ko:\n", t.render(index, "modules.dep"));
    }

    @Test
    void corruptModuleIsReportedOnceAndListedWithoutSymbols() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/good.ko", mod().exports("g_fn").alias("pci:v1*"));
        t.module("kernel/user.ko", mod().needs("g_fn"));
        t.file("kernel/bad.ko", "this is not an ELF file");
        t.file("modules.order", "kernel/good.ko\nkernel/bad.ko\nkernel/user.ko\n");
        ModuleIndex index = t.build();
        assertEquals("kernel/good.ko:\nkernel/bad.ko:\nkernel/user.ko: kernel/good.ko\n", t.render(index, "modules.dep"));
        List<String> errors = t.errors();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("failed to load symbols from " + t.dir + "/kernel/bad.ko: "), errors.get(0));
        assertTrue(errors.get(0).contains("not an ELF file"), errors.get(0));
    }

    @Test
    void missingModulesDirectoryFails() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> IndexBuilder.of(tmp, "9.9").build());
    }

    @Test
    void quickCheckComparesModuleTimesWithModulesDep() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a.ko", mod());
        String dir = IndexBuilder.moduleDirectory(tmp, TestTree.KVER);
        assertEquals(false, IndexBuilder.upToDate(dir), "no modules.dep yet");
        t.file("modules.dep", "kernel/a.ko:\n");
        Files.setLastModifiedTime(t.dir.resolve("kernel/a.ko"), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        assertTrue(IndexBuilder.upToDate(dir));
        Files.setLastModifiedTime(t.dir.resolve("kernel/a.ko"), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(t.dir.resolve("modules.dep")).toMillis() + 5000));
        assertEquals(false, IndexBuilder.upToDate(dir));
    }

    @Test
    void explicitFilesAreIndexedAloneWithoutDepmodDAndRefusedAsKmodRefusesThem() throws Exception {
        TestTree t = new TestTree(tmp.resolve("root"));
        t.module("kernel/a.ko", mod().exports("a_fn"));
        t.module("kernel/b.ko", mod().needs("a_fn"));
        t.module("kernel/c.ko", mod());
        t.file("modules.order", "kernel/b.ko\nkernel/a.ko\n");
        Path outside = tmp.resolve("elsewhere/x-y.ko");
        mod().writeTo(outside);
        ModuleIndex index = t.builder().config(new DepmodConfig(List.of(), List.of(), List.of(), List.of("kernel")))
                .files(List.of(outside.toString(), t.dir + "/kernel/a.ko", t.dir + "/kernel/b.ko")).build();
        assertEquals(List.of("b", "a", "x_y"), index.modules().stream().map(IndexedModule::name).toList(),
                "modules.order first, then the rest; c not asked for; depmod.d's exclude not applied");
        assertEquals(outside.toString(), index.module("x_y").orElseThrow().path(), "outside the tree: the full path");
        assertEquals(List.of("a"), index.module("b").orElseThrow().dependencies());

        assertEquals("kernel/a.ko: not absolute path.", assertThrows(ModuleListException.class,
                () -> t.builder().files(List.of("kernel/a.ko")).build()).getMessage());
        assertEquals("could not create module " + t.dir + "/kernel/nope.ko: No such file or directory",
                assertThrows(ModuleListException.class,
                        () -> t.builder().files(List.of(t.dir + "/kernel/nope.ko")).build()).getMessage());
        t.problems.clear();
        assertEquals("could not add module " + t.dir + "/kernel/a.ko: File exists", assertThrows(ModuleListException.class,
                () -> t.builder().files(List.of(t.dir + "/kernel/a.ko", t.dir + "/kernel/a.ko")).build()).getMessage());
        assertEquals(List.of("hash_add_unique a: File exists"), t.errors());
    }

    /**
     * A module whose .symtab header points outside the file is indexed as kmod indexes it: its
     * aliases (from the intact .modinfo) and its __ksymtab_strings exports; one warning names the
     * file, the section and its header's offset.
     */
    @Test
    void aCorruptSymtabStillIndexesTheModinfo() throws Exception {
        TestTree t = new TestTree(tmp);
        byte[] b = mod().alias("pci:v00001234d*").alias("acpi*:ABC0001:*").exports("good_sym").ksymtabString("good_sym")
                .needs("printk").build();
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long shoff = le.getLong(0x28);
        int symtab = org.autoprobe.core.elf.ElfFile.parse("x", java.nio.ByteBuffer.wrap(b)).section(".symtab").orElseThrow().index();
        long header = shoff + symtab * 64L;
        le.putLong((int) header + 0x18, 1L << 33); // sh_offset far past the end
        Files.createDirectories(t.dir.resolve("kernel"));
        Files.write(t.dir.resolve("kernel/broken.ko"), b);
        t.module("kernel/user.ko", mod().alias("usb:v1234p*").needs("good_sym"));
        ModuleIndex index = t.build();
        String alias = t.render(index, "modules.alias");
        assertTrue(alias.contains("alias pci:v00001234d* broken\n") && alias.contains("alias acpi*:ABC0001:* broken\n")
                && alias.contains("alias usb:v1234p* user\n"), alias);
        assertEquals("kernel/broken.ko:\nkernel/user.ko: kernel/broken.ko\n".lines().sorted().toList(),
                t.render(index, "modules.dep").lines().sorted().toList());
        List<String> warnings = t.problems.stream().filter(p -> p.message().contains("broken.ko")).map(IndexProblem::message).toList();
        assertEquals(List.of(t.dir.resolve("kernel/broken.ko") + ": .symtab: section " + symtab + " (header at offset " + header
                + ": offset 8589934592, size " + 3 * 24 + ") lies outside the file (" + b.length + " bytes); read the rest, as kmod does"),
                warnings);
        assertEquals(List.of(), t.errors());
    }
}
