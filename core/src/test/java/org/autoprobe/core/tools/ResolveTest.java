package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resolve as one tool: its lines, its escapes, its order and its missing-tree error, without a command line. */
class ResolveTest {
    @TempDir
    Path tmp;

    private final Fixture f = Fixture.standard();
    private final List<String> asked = new ArrayList<>();

    private record Run(int code, String out, String err) {
    }

    private Run run(Path dir, String stdin, int threads, String... aliases) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Resolve resolve = new Resolve(dir, () -> {
            asked.add("config");
            return f.config();
        }, () -> {
            asked.add("database");
            return f.db;
        });
        int code = resolve.run(new Resolve.Options(List.of(aliases), false, threads),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void oneLinePerAliasWithItsModulesOrADash() throws Exception {
        Run r = run(tmp, "ehci\nnosuch\n", 1, "pci:v000010ECd00008139x", "-", "mii");
        assertEquals(new Run(0, "pci:v000010ECd00008139x\t8139too 8139cp\nehci\tehci\nnosuch\t-\nmii\tmii\n", ""), r);
        assertEquals(List.of("config", "database"), asked);
    }

    @Test
    void nulCrAndTabAreEscapedAndTheLookupStopsAtTheNul() throws Exception {
        Run r = run(tmp, "mii\0junk\nehci\r\na\tb", 1, "-");
        assertEquals("mii\\0junk\tmii\nehci\\r\t-\na\\tb\t-\n", r.out());
    }

    @Test
    void blacklistedModulesAreLeftOutWithB() throws Exception {
        f.blacklist.add("8139cp");
        StringWriter out = new StringWriter();
        new Resolve(tmp, f::config, () -> f.db).run(new Resolve.Options(List.of("pci:v000010ECd00008139x"), true, 1),
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals("pci:v000010ECd00008139x\t8139too\n", out.toString());
    }

    @Test
    void manyWorkersKeepInputOrder() throws Exception {
        StringBuilder in = new StringBuilder();
        StringBuilder want = new StringBuilder();
        String[] names = {"mii", "nosuch", "8139too", "uhci"};
        for (int i = 0; i < Resolve.BATCH_LINES * 5 + 3; i++) {
            String n = names[i % names.length];
            in.append(n).append('\n');
            want.append(n).append('\t').append(n.equals("nosuch") ? "-" : n).append('\n');
        }
        assertEquals(new Run(0, want.toString(), ""), run(tmp, in.toString(), 3, "-"));
    }

    @Test
    void aMissingTreeIsFatalAndNamesTheFirstLookupBeforeReadingTheConfiguration() throws Exception {
        Path none = tmp.resolve("none");
        assertEquals(new Run(1, "", "resolve: FATAL: Module ehci not found in directory " + none + "\n"),
                run(none, "ehci\nuhci\n", 1, "-", "mii"));
        assertEquals(new Run(1, "", "resolve: FATAL: module directory " + none + " not found\n"), run(none, "", 1, "-"));
        assertEquals(List.of(), asked);
    }

    @Test
    void aConfigurationAliasIsAnAnswerToo() throws Exception {
        f.aliases.add(new ModprobeConfig.Alias("usb:v1234*", "snd_extra"));
        assertEquals("usb:v1234p1\tsnd_extra\n", run(tmp, "", 1, "usb:v1234p1").out());
    }
}
