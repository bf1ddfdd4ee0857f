package org.autoprobe.rules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.config.ModprobeConfig.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelCmdlineParserTest {
    private final List<String> warnings = new ArrayList<>();

    private ModprobeConfig parse(String cmdline) {
        return KernelCmdlineParser.parse(cmdline, warnings::add);
    }

    /** One token, and the options line kmod 30 makes of it (seen with modprobe -c). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "a.b=1                | a b=1",
        "x-y.p=1              | x_y p=1",
        "g.h                  | g h",
        "g.h=                 | g h=",
        "m.p=a.b=c            | m p=a.b=c",
        "'\"c.d=e f\"'        | c d=\"e f\"",
        "'\"c.d=e f\"g'       | c d=\"e f\"g",
        "'p.q=\"r s\"'        | p q=\"r s\"",
        "'t.u=v\"w x\"y'      | t u=v\"w x\"y",
        "'t.u=\"a\tb\"'       | t u=\"a b\"",
    })
    void tokenBecomesOption(String token, String expected) {
        ModprobeConfig c = parse(token + "\n");
        assertEquals(1, c.options().size(), () -> c.toString());
        Options o = c.options().get(0);
        assertEquals(expected, o.module() + " " + o.options());
        assertEquals(List.of(), c.blacklist());
    }

    @Test
    void emptyModuleNameIsKept() {
        assertEquals(List.of(new Options("", "p=1")), parse(".p=1").options());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "l.m.n=o", "i=j.k", "plain", "'a\"b.c=d'", "'\"a.b\"'", "'\"a.b'", "'a.\"b\"=1'", "'\"\"a.b=1'",
        "'\"a.b c=1\"'", "=x.y"
    })
    void tokenIsDropped(String token) {
        ModprobeConfig c = parse(token + " ok.x=1");
        // an unbalanced quote swallows the following token too, so only check nothing else got in
        boolean swallowed = token.chars().filter(ch -> ch == '"').count() % 2 == 1;
        assertEquals(swallowed ? List.of() : List.of(new Options("ok", "x=1")), c.options());
    }

    @Test
    void unbalancedQuoteInADroppedTokenSwallowsUntilTheNextQuote() {
        ModprobeConfig c = parse("a\"b c.d=e f\"g h.i=j");
        assertEquals(List.of(new Options("h", "i=j")), c.options());
    }

    @Test
    void blacklistEntriesAreSplitAtCommasAndNotNormalised() {
        ModprobeConfig c = parse("modprobe.blacklist=x-y,,z- modprobe.blacklist=w");
        assertEquals(List.of("x-y", "", "z-", "w"), c.blacklist());
        assertEquals(List.of(), c.options());
    }

    @Test
    void modprobeOptionThatIsNotBlacklistIsAnOption() {
        ModprobeConfig c = parse("modprobe.blacklist modprobe.blacklistx=1 modprobe.foo=2");
        assertEquals(List.of(new Options("modprobe", "blacklist"), new Options("modprobe", "blacklistx=1"),
                new Options("modprobe", "foo=2")), c.options());
    }

    @Test
    void quotedBlacklistKeepsTheMovedQuote() {
        ModprobeConfig c = parse("\"modprobe.blacklist=a b,c\"");
        assertEquals(List.of("\"a b", "c\""), c.blacklist());
    }

    @Test
    void badModuleNameIsReported() {
        ModprobeConfig c = parse("a[b.c=1 d.e=2");
        assertEquals(List.of(new Options("d", "e=2")), c.options());
        assertEquals(List.of("kernel command line: ignoring option for bad module name 'a[b'"), warnings);
    }

    @Test
    void allBlanksSeparateTokensAndOrderIsKept() {
        ModprobeConfig c = parse("a.x=1\tb.y=2\u000bc.z=3\fd.w\re.v=5\n");
        assertEquals(List.of("a", "b", "c", "d", "e"), c.options().stream().map(Options::module).toList());
    }

    @Test
    void onlyTheFirst4095BytesCount() {
        String filler = "f".repeat(4095 - "a.b=12".length() - 1);
        ModprobeConfig c = parse(filler + " a.b=12345 c.d=1");
        assertEquals(List.of(new Options("a", "b=12")), c.options());
    }

    @Test
    void aNulEndsTheCommandLine() {
        ModprobeConfig c = parse("a.b=1\0c.d=2");
        assertEquals(List.of(new Options("a", "b=1")), c.options());
    }

    @Test
    void realDebianStyleCommandLine() {
        ModprobeConfig c = parse("BOOT_IMAGE=/vmlinuz root=UUID=1234 ro quiet random.trust_cpu=1 "
                + "page_reporting.page_reporting_order=11 -- --init x.y=z\n");
        assertEquals(List.of(new Options("random", "trust_cpu=1"), new Options("page_reporting",
                "page_reporting_order=11"), new Options("x", "y=z")), c.options());
    }
}
