package org.autoprobe.core.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autoprobe.core.module.ModuleSymbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModuleReader#symbolTables}: what modprobe --dump-modversions and --show-exports print. */
class SymbolTablesTest {
    @TempDir
    Path tmp;

    private ModuleReader.SymbolTables tables(ElfBuilder b) throws Exception {
        Path f = tmp.resolve("m.ko");
        b.writeTo(f);
        return ModuleReader.symbolTables(f);
    }

    @Test
    void versionsInTableOrderWithoutALeadingDot() throws Exception {
        ModuleReader.SymbolTables t = tables(ElfBuilder.module().version("zeta", 0x11).version(".alpha", 0xffffffffL)
                .version("mid", 0));
        assertEquals(List.of(new ModuleSymbol("zeta", 0x11, false), new ModuleSymbol("alpha", 0xffffffffL, false),
                new ModuleSymbol("mid", 0, false)), t.versions());
        assertNull(t.versionsProblem());
    }

    @Test
    void noVersionsSectionIsENOENT() throws Exception {
        ModuleReader.SymbolTables t = tables(ElfBuilder.module());
        assertNull(t.versions());
        assertEquals(ModuleReader.Problem.NO_SECTION, t.versionsProblem());
        assertEquals("No such file or directory", t.versionsProblem().message());
    }

    @Test
    void aVersionsTableOfPartEntriesIsEINVAL() throws Exception {
        ModuleReader.SymbolTables t = tables(ElfBuilder.module().section("__versions", new byte[65]));
        assertEquals(ModuleReader.Problem.BAD_SIZE, t.versionsProblem());
    }

    @Test
    void exportsFromCrcSymbolsElseKsymtabStringsElseENOENT() throws Exception {
        // ElfBuilder numbers __crc_ values from 0x1000
        assertEquals(List.of(new ModuleSymbol("a_fn", 0x1000, false), new ModuleSymbol("b_fn", 0x1001, false)),
                tables(ElfBuilder.module().exports("a_fn", "b_fn")).exports());
        assertEquals(List.of(new ModuleSymbol("plain", 0, false), new ModuleSymbol("other", 0, false)),
                tables(ElfBuilder.module().ksymtabString("plain").ksymtabString("other")).exports());
        ModuleReader.SymbolTables none = tables(ElfBuilder.module());
        assertNull(none.exports());
        assertEquals(ModuleReader.Problem.NO_SECTION, none.exportsProblem());
    }

    @Test
    void notAnElfFileIsENOEXECForBoth() throws Exception {
        Path f = tmp.resolve("text.ko");
        Files.writeString(f, "hello\n");
        ModuleReader.SymbolTables t = ModuleReader.symbolTables(f);
        assertEquals(ModuleReader.Problem.NOT_ELF, t.versionsProblem());
        assertEquals(ModuleReader.Problem.NOT_ELF, t.exportsProblem());
        assertEquals("Exec format error", t.exportsProblem().message());
    }
}
