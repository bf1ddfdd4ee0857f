package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.elf.ElfBuilder;
import org.autoprobe.core.module.ModinfoField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** modinfo as one tool: its fields, separators, lookups and messages, without a command line. */
class ModinfoTest {
    @TempDir
    Path tmp;
    Path ko;

    private final List<String> events = new ArrayList<>();
    private final StringWriter out = new StringWriter();

    /** Knows one module, {@code a} (alias {@code pci:v1*}), and one builtin, {@code b}, without records. */
    private final ModuleLookup lookup = new ModuleLookup() {
        @Override
        public List<Found> lookup(String nameOrAlias) {
            events.add("lookup " + nameOrAlias);
            return switch (nameOrAlias) {
                case "a", "pci:v1" -> List.of(new Found("a", Optional.of(ko)));
                case "b" -> List.of(new Found("b", Optional.empty()));
                default -> List.of();
            };
        }

        @Override
        public Optional<Found> byName(String name) {
            events.add("byName " + name);
            return name.equals("a") ? Optional.of(new Found("a", Optional.of(ko))) : Optional.empty();
        }

        @Override
        public Optional<List<ModinfoField>> builtinModinfo(String name) throws IOException {
            throw new IOException("could not get modinfo from '" + name + "': Function not implemented");
        }
    };

    @BeforeEach
    void module() throws IOException {
        ko = ElfBuilder.module().info("license", "GPL").alias("pci:v1*").writeTo(tmp.resolve("a.ko"));
    }

    private int run(List<String> args, boolean byName, String field, char separator) {
        return new Modinfo(() -> {
            events.add("lookups made");
            return lookup;
        }).run(new Modinfo.Options(args, byName, field, separator), new PrintWriter(out, true),
                (priority, text) -> events.add(priority + " " + text));
    }

    @Test
    void oneFieldWithNulSeparatorsForAnAlias() {
        assertEquals(0, run(List.of("pci:v1"), false, "alias", '\0'));
        assertEquals("pci:v1*\0", out.toString());
        assertEquals(List.of("lookups made", "lookup pci:v1"), events);
    }

    @Test
    void aModuleFileIsReadWithoutALookup() {
        assertEquals(0, run(List.of(ko.toString()), false, "license", '\n'));
        assertEquals("GPL\n", out.toString());
        assertEquals(List.of("lookups made"), events);
    }

    @Test
    void namesNotFoundAreErrorsAndTheOthersAreStillShown() {
        assertEquals(1, run(List.of("nosuch", "a"), true, "filename", '\n'));
        assertEquals(ko + "\n", out.toString());
        assertEquals(List.of("lookups made", "byName nosuch", "3 ERROR: Module name nosuch not found.", "byName a"),
                events);
    }

    @Test
    void aBuiltinWhoseRecordsCannotBeReadShowsItsNameThenFails() {
        assertEquals(1, run(List.of("b"), false, null, '\n'));
        assertEquals("name:           b\nfilename:       (builtin)\n", out.toString());
        assertEquals(List.of("lookups made", "lookup b", "3 ERROR: could not get modinfo from 'b': Function not implemented"),
                events);
    }

    @Test
    void withoutArgumentsNoLookupIsMade() {
        assertEquals(1, run(List.of(), false, null, '\n'));
        assertEquals(List.of("3 ERROR: missing module or filename."), events);
    }
}
