package org.autoprobe.rules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.core.config.ConfigDump;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.config.ModprobeConfig.Options;

class ParserPropertiesTest {
    @Provide
    Arbitrary<String> configish() {
        return Arbitraries.strings().withChars(" \t\n\r\\#[]-_=\".:*abcpostrei").ofMaxLength(200)
                .injectDuplicates(0.1);
    }

    @Property
    void parserNeverThrowsAndEveryWarningNamesFileAndLine(@ForAll("configish") String text,
                                                          @ForAll List<String> lines) {
        List<String> warnings = new ArrayList<>();
        ModprobeConfigParser.parse("p.conf", List.of(text.split("\n", -1)), warnings::add);
        ModprobeConfigParser.parse("p.conf", lines, warnings::add);
        ModprobeConfigParser.parse("p.conf", text.getBytes(java.nio.charset.StandardCharsets.UTF_8), warnings::add);
        for (String w : warnings) {
            assertTrue(w.matches("(?s)p\\.conf:\\d+: .*"), w);
        }
    }

    @Property
    void commandLineParserNeverThrows(@ForAll("configish") String a, @ForAll String b) {
        KernelCmdlineParser.parse(a, w -> { });
        KernelCmdlineParser.parse(b, w -> { });
    }

    @Property
    void configAndDumpNeverThrow(@ForAll("configish") String text) {
        ModprobeConfig c = ModprobeConfigParser.parse("p.conf", List.of(text), w -> { });
        ConfigDump.write(c, new PrintWriter(new StringWriter()));
    }

    @Provide
    Arbitrary<String> word() {
        return Arbitraries.strings().withChars("abcxyz019_-").ofMinLength(1).ofMaxLength(8);
    }

    /** A plain {@code mod.param=value} token always gives exactly that option, the module normalised. */
    @Property
    void plainTokensRoundTrip(@ForAll("word") String mod, @ForAll("word") String param, @ForAll("word") String value,
                              @ForAll("word") String other) {
        ModprobeConfig c = KernelCmdlineParser.parse(other + " " + mod + "." + param + "=" + value + "\n", w -> { });
        assertEquals(List.of(new Options(mod.replace('-', '_'), param + "=" + value)), c.options());
    }
}
