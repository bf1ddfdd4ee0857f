package org.autoprobe.rules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.config.ModprobeConfig.Alias;
import org.autoprobe.core.config.ModprobeConfig.Command;
import org.autoprobe.core.config.ModprobeConfig.Options;
import org.autoprobe.core.config.ModprobeConfig.SoftDep;
import org.autoprobe.core.config.ModprobeConfig.WeakDep;
import org.junit.jupiter.api.Test;

class ModprobeConfigParserTest {
    private final List<String> warnings = new ArrayList<>();

    private ModprobeConfig parse(String... lines) {
        return ModprobeConfigParser.parse("t.conf", List.of(lines), warnings::add);
    }

    @Test
    void aliasNormalisesPatternOutsideBracketsAndModule() {
        ModprobeConfig c = parse("alias pci:v-[0-9]*-x my-mod extra words");
        assertEquals(List.of(new Alias("pci:v_[0-9]*_x", "my_mod")), c.aliases());
        assertEquals(List.of(), warnings);
    }

    @Test
    void wordsAreSeparatedBySpacesAndTabsOnly() {
        ModprobeConfig c = parse("alias\t\tfoo   bar\t");
        assertEquals(List.of(new Alias("foo", "bar")), c.aliases());
    }

    @Test
    void optionsKeepTextAfterTheOneBlankEndingTheNameWithTabsTurnedToSpaces() {
        ModprobeConfig c = parse("options foo-bar   a=1\tb=2 ", "options  x  y", "options z\t\tq");
        assertEquals(List.of(new Options("foo_bar", "  a=1 b=2 "), new Options("x", " y"), new Options("z", " q")),
                c.options());
    }

    @Test
    void optionsNeedSomethingAfterTheName() {
        ModprobeConfig c = parse("options h", "options i ", "options j  ");
        assertEquals(List.of(new Options("j", " ")), c.options());
        assertEquals(List.of("t.conf:1: ignoring bad line starting with 'options'",
                "t.conf:2: ignoring bad line starting with 'options'"), warnings);
    }

    @Test
    void installAndRemoveKeepTheCommandVerbatim() {
        ModprobeConfig c = parse("install i-x  /bin/true\t--x ", "remove r-y /bin/false", "install lone");
        assertEquals(List.of(new Command("i_x", " /bin/true\t--x ")), c.installs());
        assertEquals(List.of(new Command("r_y", "/bin/false")), c.removes());
        assertEquals(List.of("t.conf:3: ignoring bad line starting with 'install'"), warnings);
    }

    @Test
    void blacklistTakesOneNormalisedName() {
        ModprobeConfig c = parse("blacklist bl-x y", "blacklist");
        assertEquals(List.of("bl_x"), c.blacklist());
        assertEquals(List.of("t.conf:2: ignoring bad line starting with 'blacklist'"), warnings);
    }

    @Test
    void softdepGroupsAddUpAndNamesStayAsWritten() {
        ModprobeConfig c = parse("softdep uhci-hcd pre: ehci-hcd ehci_pci post: x pre: y");
        assertEquals(List.of(new SoftDep("uhci_hcd", List.of("ehci-hcd", "ehci_pci", "y"), List.of("x"),
                "pre: ehci-hcd ehci_pci x ypost: x")), c.softdeps());
    }

    @Test
    void softdepWordsBeforeAnyGroupAreDroppedButTheLineCounts() {
        ModprobeConfig c = parse("softdep cifs gcm", "softdep e pre:x", "softdep i x pre:  y  ");
        assertEquals(List.of(new SoftDep("cifs", List.of(), List.of()), new SoftDep("e", List.of(), List.of()),
                new SoftDep("i", List.of("y"), List.of())), c.softdeps());
    }

    @Test
    void softdepWithTwoBlanksAfterTheNameLosesItsFirstGroupWordAsKmodDoes() {
        ModprobeConfig c = parse("softdep c  pre: x", "softdep d\t\tpost: y z");
        assertEquals(List.of(new SoftDep("c", List.of(), List.of()), new SoftDep("d", List.of(), List.of())),
                c.softdeps());
    }

    @Test
    void softdepNamesSplitOnAnyCSpace() {
        ModprobeConfig c = parse("softdep m pre: a\u000bb\fc\r");
        assertEquals(List.of("a", "b", "c"), c.softdeps().get(0).pre());
    }

    /** kmod 34, libkmod-config.c: kmod_config_parse (the weakdep branch) and kmod_config_add_weakdep. */
    @Test
    void weakdepAsKmod34ReadsIt() {
        ModprobeConfig c = parse("weakdep my-mod a-b\tc_d", "weakdep c*  x", "weakdep e\t\t\tf  g ",
                "weakdep h pre: i post: j", "weakdep k  ", "weakdep m n\u000bo\fp\r", "options my-mod x");
        assertEquals(List.of(new WeakDep("my_mod", List.of("a-b", "c_d")), new WeakDep("c*", List.of(" x")),
                new WeakDep("e", List.of("f", "g")), new WeakDep("h", List.of("pre:", "i", "post:", "j")),
                new WeakDep("k", List.of()), new WeakDep("m", List.of("n", "o", "p"))), c.weakdeps());
        assertEquals(List.of(new Options("my_mod", "x")), c.options());
        assertEquals(List.of(), c.softdeps());
        assertEquals(List.of(), warnings);
    }

    @Test
    void weakdepNeedsAModuleAndSomethingAfterIt() {
        ModprobeConfig c = parse("weakdep", "weakdep lone", "weakdep lone ", "weakdep a[ b", "weakdep ok x");
        assertEquals(List.of(new WeakDep("ok", List.of("x"))), c.weakdeps());
        assertEquals(List.of("t.conf:1: ignoring bad line starting with 'weakdep'",
                "t.conf:2: ignoring bad line starting with 'weakdep'",
                "t.conf:3: ignoring bad line starting with 'weakdep'",
                "t.conf:4: ignoring bad line starting with 'weakdep'"), warnings);
    }

    @Test
    void includeAndConfigAreReportedAndSkipped() {
        ModprobeConfig c = parse("include /etc/foo", "config bar", "blacklist z");
        assertEquals(List.of("z"), c.blacklist());
        assertEquals(List.of("t.conf:1: command 'include' is no longer supported, line ignored",
                "t.conf:2: command 'config' is no longer supported, line ignored"), warnings);
    }

    @Test
    void onlyAHashInTheFirstColumnIsAComment() {
        ModprobeConfig c = parse("# comment", "#options a b", "  # not a comment for kmod", "", " \t ");
        assertEquals(ModprobeConfig.EMPTY, c);
        assertEquals(List.of("t.conf:3: ignoring bad line starting with '#'"), warnings);
    }

    @Test
    void unbalancedBracketsMakeABadLine() {
        ModprobeConfig c = parse("alias a[b c", "alias ab] c", "blacklist x[", "options m]x a", "alias a[-]b c-d");
        assertEquals(List.of(new Alias("a[-]b", "c_d")), c.aliases());
        assertEquals(4, warnings.size());
        assertTrue(warnings.get(3).startsWith("t.conf:4: "), warnings.get(3));
    }

    @Test
    void aBadLineIsReportedOnceWithItsFirstWordAndTheRestIsKept() {
        ModprobeConfig c = parse("blacklist a", "opts x", "bogus", "blacklist b");
        assertEquals(List.of("a", "b"), c.blacklist());
        assertEquals(List.of("t.conf:2: ignoring bad line starting with 'opts'",
                "t.conf:3: ignoring bad line starting with 'bogus'"), warnings);
    }

    @Test
    void backslashNewlineJoinsLinesAndWarningsNameTheLastPhysicalLine() {
        ModprobeConfig c = parse("options f a\\", " b\\c", "softdep m pre: a\\", "  b", "bad\\", "line");
        assertEquals(List.of(new Options("f", "a bc")), c.options());
        assertEquals(List.of("a", "b"), c.softdeps().get(0).pre());
        assertEquals(List.of("t.conf:6: ignoring bad line starting with 'badline'"), warnings);
    }

    @Test
    void doubledBackslashIsOneBackslashAndEndsTheLine() {
        ModprobeConfig c = parse("options g a\\\\", "options h b");
        assertEquals(List.of(new Options("g", "a\\"), new Options("h", "b")), c.options());
    }

    @Test
    void carriageReturnIsNotALineEnd() {
        ModprobeConfig c = parse("alias k\r", "blacklist x\r");
        assertEquals(List.of("x\r"), c.blacklist());
        assertEquals(List.of("t.conf:1: ignoring bad line starting with 'alias'"), warnings);
    }

    @Test
    void rawBytesNulCutsTheLineAndFinalLineNeedsNoNewline() {
        byte[] content = "options l a\0b\nblacklist last".getBytes(StandardCharsets.UTF_8);
        ModprobeConfig c = ModprobeConfigParser.parse("r.conf", content, warnings::add);
        assertEquals(List.of(new Options("l", "a")), c.options());
        assertEquals(List.of("last"), c.blacklist());
    }

    @Test
    void backslashAsTheVeryLastByteBecomesByte0xFF() {
        byte[] content = "options eof x\\".getBytes(StandardCharsets.UTF_8);
        ModprobeConfig c = ModprobeConfigParser.parse("r.conf", content, warnings::add);
        // kmod appends the byte 0xFF; not UTF-8, it is kept as that byte (RawText's escape U+DCFF)
        assertEquals(List.of(new Options("eof", "x\uDCFF")), c.options());
    }
}
