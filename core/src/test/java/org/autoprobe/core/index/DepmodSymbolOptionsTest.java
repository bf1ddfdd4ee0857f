package org.autoprobe.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.elf.ElfBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * depmod's {@code -P}, {@code -E}, {@code -v} and {@code -w} on small trees, as kmod 30's depmod
 * treats them (the conformance suite compares the real tree with kmod's own output).
 */
class DepmodSymbolOptionsTest {
    @TempDir
    Path tmp;

    private static ElfBuilder mod() {
        return ElfBuilder.module();
    }

    private List<String> warnings(TestTree t) {
        return t.problems.stream().filter(p -> p.severity() == IndexProblem.Severity.WARNING).map(IndexProblem::message)
                .filter(m -> !m.startsWith("could not open modules.builtin")).toList();
    }

    @Test
    void aSymbolPrefixIsDroppedFromExportedAndNeededNames() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/lib.ko", mod().exports("_lib_fn", "plain_fn"));
        t.module("kernel/user.ko", mod().needs("_lib_fn"));
        t.module("kernel/dot.ko", mod().needs("._plain_fn"));
        t.file("modules.order", "kernel/lib.ko\nkernel/user.ko\nkernel/dot.ko\n");
        ModuleIndex withPrefix = t.builder().symbolPrefix('_').build();
        assertEquals("""
                # Aliases for symbols, used by symbol_request().
                alias symbol:plain_fn lib
                alias symbol:lib_fn lib
                """, t.render(withPrefix, "modules.symbols")); // kmod's hash order
        assertEquals(List.of("lib"), withPrefix.module("user").orElseThrow().dependencies());
        // "._plain_fn": '.' then the prefix go, so it finds plain_fn
        assertEquals(List.of("lib"), withPrefix.module("dot").orElseThrow().dependencies());

        ModuleIndex without = t.build();
        assertEquals(List.of(), without.module("dot").orElseThrow().dependencies(), "'_plain_fn' is nobody's");
        assertEquals("lib", without.symbolOwner("_lib_fn").orElseThrow());
    }

    @Test
    void versionsDisagreeingWithTheProviderAreReportedWithSymvers() throws Exception {
        TestTree t = new TestTree(tmp);
        // base exports base_fn with CRC 0x1000 and other_fn with 0x1001 (ElfBuilder numbers them)
        t.module("kernel/base.ko", mod().exports("base_fn", "other_fn"));
        t.module("kernel/user.ko", mod().needs("base_fn", "other_fn", "printk", "vfree", "nowhere")
                .version("base_fn", 0x1000).version("other_fn", 0x9999).version("printk", 0x55).version("vfree", 0x77));
        t.module("kernel/weak.ko", mod().needsWeak("other_fn").version("other_fn", 0x1));
        t.file("modules.order", "kernel/base.ko\nkernel/user.ko\nkernel/weak.ko\n");
        t.builder().kernelSymbolVersions(Map.of("printk", 0x55L, "vfree", 0x78L)).build();
        String user = t.dir + "/kernel/user.ko";
        assertEquals(List.of(user + " disagrees about version of symbol other_fn",
                user + " disagrees about version of symbol vfree",
                user + " needs unknown symbol nowhere"), warnings(t));

        t.problems.clear();
        t.builder().kernelSymbols(java.util.Set.of("printk", "vfree")).build();
        assertEquals(List.of(user + " needs unknown symbol nowhere"), warnings(t), "a System.map has no versions");
    }

    @Test
    void verboseNamesEachNewDependencyWithTheSymbolThatMadeIt() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/a.ko", mod().exports("a1", "a2"));
        t.module("kernel/b.ko", mod().exports("b1"));
        t.module("kernel/c.ko", mod().needs("a2", "b1", "a1", "printk"));
        t.file("modules.order", "kernel/a.ko\nkernel/b.ko\nkernel/c.ko\n");
        List<String> lines = new ArrayList<>();
        t.builder().dependencyLog(lines::add).build();
        assertEquals(List.of(t.dir + "/kernel/c.ko needs \"a2\": " + t.dir + "/kernel/a.ko",
                t.dir + "/kernel/c.ko needs \"b1\": " + t.dir + "/kernel/b.ko"), lines);
    }

    @Test
    void duplicateAliasesAreReportedOnlyWhenAsked() throws Exception {
        TestTree t = new TestTree(tmp);
        t.module("kernel/twice.ko", mod().alias("pci:v00001234d*").alias("usb:v1p2*").alias("pci:v00001234d*"));
        t.module("kernel/other.ko", mod().alias("pci:v00001234d*"));
        t.file("modules.order", "kernel/twice.ko\nkernel/other.ko\n");
        ModuleIndex index = t.build();
        t.problems.clear();
        new IndexWriter(index, t.problems::add).render("modules.alias.bin");
        assertEquals(List.of(), t.problems);
        byte[] quiet = new IndexWriter(index, t.problems::add).render("modules.alias.bin");
        byte[] loud = new IndexWriter(index, t.problems::add).warnDuplicates(true).render("modules.alias.bin");
        assertEquals(List.of("duplicate module alias:\npci:v00001234d* twice"), warnings(t));
        assertEquals(java.util.Arrays.toString(quiet), java.util.Arrays.toString(loud), "the file is the same");
    }

    @Test
    void moduleSymversKeepsTheKernelsLinesAndSaysWhichVersionIsBad() throws Exception {
        Path f = tmp.resolve("Module.symvers");
        Files.writeString(f, String.join("\n",
                "0x1a2b3c4d\tprintk\tvmlinux\tEXPORT_SYMBOL\t",
                "0x00000001\tmod_fn\tdrivers/foo\tEXPORT_SYMBOL_GPL\t",
                "0xDEADBEEF  _pfx_fn vmlinux EXPORT_SYMBOL",
                "nothex\tbad_fn\tvmlinux\tEXPORT_SYMBOL\t",
                "0x5 two_fields",
                "",
                "7\tbare_hex\tvmlinux"), java.nio.charset.StandardCharsets.ISO_8859_1);
        List<IndexProblem> problems = new ArrayList<>();
        Map<String, Long> m = IndexBuilder.readSymvers(f, '_', problems::add);
        assertEquals(0x1a2b3c4dL, m.get("printk"));
        assertEquals(0xDEADBEEFL, m.get("pfx_fn"), "prefix dropped");
        assertEquals(7L, m.get("bare_hex"));
        assertNull(m.get("mod_fn"), "a module's own export is not the kernel's");
        assertNull(m.get("bad_fn"));
        assertEquals(0L, m.get("__this_module"));
        assertEquals(0L, m.get("TOC."));
        assertEquals(List.of(IndexProblem.error(f + ":4 Invalid symbol version nothex: Success")), problems);
    }

    @Test
    void versionsParseAsStrtoullDoes() {
        assertEquals(0x10L, IndexBuilder.parseCrc("0x10"));
        assertEquals(0x10L, IndexBuilder.parseCrc("0X10"));
        assertEquals(0x10L, IndexBuilder.parseCrc("10"));
        assertEquals(0xabcL, IndexBuilder.parseCrc("+AbC"));
        assertEquals(-1L, IndexBuilder.parseCrc("-1"));
        assertEquals(-1L, IndexBuilder.parseCrc("0x1ffffffffffffffff"), "overflow gives ULLONG_MAX");
        assertEquals(0L, IndexBuilder.parseCrc("0"));
        assertNull(IndexBuilder.parseCrc("0x"));
        assertNull(IndexBuilder.parseCrc("0xg"));
        assertNull(IndexBuilder.parseCrc(""));
        assertNull(IndexBuilder.parseCrc("-"));
        assertNull(IndexBuilder.parseCrc("12z"));
        assertNull(IndexBuilder.parseCrc("\uff11"), "only ASCII hex digits");
    }

    @Test
    void aDirectoryGivenAsSymbolFileReadsAsEmptyAsInKmod() throws Exception {
        List<IndexProblem> problems = new ArrayList<>();
        assertEquals(java.util.Set.of("__this_module", "_GLOBAL_OFFSET_TABLE_", "TOC."),
                IndexBuilder.readSystemMap(tmp, problems::add));
        assertEquals(Map.of("__this_module", 0L, "_GLOBAL_OFFSET_TABLE_", 0L, "TOC.", 0L),
                IndexBuilder.readSymvers(tmp, (char) 0, problems::add));
        assertEquals(List.of(), problems);
    }
}
