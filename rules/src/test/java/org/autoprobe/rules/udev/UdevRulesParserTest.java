package org.autoprobe.rules.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UdevRulesParserTest {
    private static final UeventView ADD = FakeEvent.of("add", "/devices/d", "SUBSYSTEM", "pci", "MODALIAS", "pci:v1");
    private final List<String> warnings = new ArrayList<>();

    private RuleSet parse(String... lines) {
        return UdevRulesParser.parse("f.rules", List.of(lines), warnings::add);
    }

    private List<List<String>> run(RuleSet set, UeventView e) {
        List<List<String>> out = new ArrayList<>();
        set.evaluate(e, new FakeSysfs()).forEach(l -> out.add(l.names()));
        return out;
    }

    @Test
    void separatorsAndSpacingAroundOperators() {
        RuleSet set = parse("  ,SUBSYSTEM == \"pci\" ,, ACTION==\"add\"\tRUN{builtin} +=  \"kmod load a\",");
        assertEquals(List.of(), warnings);
        assertEquals(List.of(List.of("a")), run(set, ADD));
        set = parse("SUBSYSTEM==\"pci\"RUN{builtin}+=\"kmod load b\"");
        assertEquals(List.of(List.of("b")), run(set, ADD));
    }

    @Test
    void commentsEmptyLinesAndContinuations() {
        RuleSet set = parse(
                "# a comment",
                "   # an indented comment",
                "",
                "SUBSYSTEM==\"pci\", \\",
                "# comments inside a continuation are dropped \\",
                "     RUN{builtin}+=\"kmod load \\",
                "a\"",
                "ACTION==\"add\", RUN{builtin}+=\"kmod load b\" # not a comment here");
        // a '#' after a rule is no comment: udev rejects the whole line
        assertEquals(List.of(List.of("a")), run(set, ADD));
        assertEquals(List.of("f.rules:8: invalid key/value pair (no valid operator after #), rule "
                + "ignored"), warnings);
        assertEquals(List.of("f.rules:7"), set.origins(), "a joined line is numbered by its last physical line");
    }

    @Test
    void continuationAtEndOfFileIsReported() {
        RuleSet set = parse("RUN{builtin}+=\"kmod load a\" \\");
        assertEquals(0, set.size());
        assertEquals(List.of("f.rules:1: unexpected end of file after a line continuation, line ignored"), warnings);
    }

    @Test
    void tooLongLinesAreDropped() {
        String long1 = "ENV{X}==\"" + "x".repeat(LogicalLines.MAX) + "\", RUN{builtin}+=\"kmod load a\"";
        RuleSet set = parse(long1, "RUN{builtin}+=\"kmod load " + "y".repeat(9000) + "\\", "z".repeat(9000) + "\"",
                "RUN{builtin}+=\"kmod load ok\"");
        assertEquals(List.of("f.rules:1: line is too long, ignored", "f.rules:3: line is too long, ignored"),
                warnings);
        assertEquals(List.of(List.of("ok")), run(set, ADD));
    }

    @Test
    void quotesInPlainValuesAndEscapesInEValues() {
        RuleSet set = parse(
                "ENV{A}==\"say \\\"hi\\\"\", RUN{builtin}+=\"kmod load a\"",
                "ENV{B}==e\"tab\\there\\x41\\101\\s.\", RUN{builtin}+=\"kmod load b\"",
                "ENV{C}==\"back\\slash\", RUN{builtin}+=\"kmod load c\"",
                "ENV{D}==ie\"MiXeD\\n\", RUN{builtin}+=\"kmod load d\"");
        assertEquals(List.of(), warnings);
        UeventView e = FakeEvent.of("add", "/d", "A", "say \"hi\"", "B", "tab\thereAA .", "C", "back\\slash",
                "D", "mixed\n");
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d")), run(set, e));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ENV{A}==e\"\\q\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A}==e\"\\x0\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A}==e\"\\x00\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A}==e\"\\400\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A}==\"open, RUN{builtin}+=\"kmod load a",
        "ENV{A}==open, RUN{builtin}+=\"kmod load a\"",
        "ENV{A}==ee\"x\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A}==x\"x\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A}~=\"x\", RUN{builtin}+=\"kmod load a\"",
        "ENV{A==\"x\"",
        "RUN{builtin}+=\"kmod load a\", KERNEL",
    })
    void malformedPairsDropTheLine(String line) {
        RuleSet set = parse(line);
        assertEquals(0, set.size());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("f.rules:1: invalid key/value pair ("), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("), rule ignored"), warnings.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ACTION=\"add\"|invalid operator '=' for ACTION",
        "KERNEL+=\"x\"|invalid operator '+=' for KERNEL",
        "SUBSYSTEM{x}==\"pci\"|invalid attribute for SUBSYSTEM",
        "DRIVER:=\"x\"|invalid operator ':=' for DRIVER",
        "DEVPATH!=\"x\", ENV==\"x\"|invalid attribute for ENV",
        "ENV{}==\"x\"|invalid attribute for ENV",
        "ENV{A}-=\"x\"|invalid operator '-=' for ENV",
        "ATTR==\"x\"|invalid attribute for ATTR",
        "TEST{9}==\"x\"|failed to parse mode '9'",
        "TEST=\"x\"|invalid operator '=' for TEST",
        "TEST==i\"x\"|invalid prefix 'i' for TEST",
        "RUN{builtin}==\"kmod load a\"|invalid operator '==' for RUN",
        "RUN{builtin}-=\"kmod load a\"|invalid operator '-=' for RUN",
        "RUN{other}+=\"kmod load a\"|invalid attribute for RUN",
        "RUN{builtin}+=\"nosuch x\"|unknown builtin command 'nosuch x'",
        "GOTO==\"x\"|invalid operator '==' for GOTO",
        "LABEL{a}=\"x\"|invalid attribute for LABEL",
        "RUN{builtin}+=i\"kmod load a\"|the 'i' prefix is only for '==' and '!=' (RUN{builtin}+=\"kmod load a\")",
        "FOO==\"x\"|invalid key 'FOO'",
        "action==\"add\"|invalid key 'action'",
    })
    void whatUdevRejectsDropsTheWholeLineIncludingItsLabel(String spec) {
        String[] parts = spec.split("\\|");
        RuleSet set = parse("GOTO=\"l\"", parts[0] + ", RUN{builtin}+=\"kmod load a\", LABEL=\"l\"",
                "LABEL=\"l\"", "RUN{builtin}+=\"kmod load b\"");
        assertEquals(List.of("f.rules:2: " + parts[1] + ", rule ignored"), warnings);
        assertEquals(List.of(List.of("b")), run(set, ADD));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "NAME=\"eth0\"|NAME is not supported by autoprobe",
        "SYMLINK+=\"disk/x\"|SYMLINK is not supported by autoprobe",
        "OWNER=\"root\"|OWNER is not supported by autoprobe",
        "MODE=\"0660\"|MODE is not supported by autoprobe",
        "IMPORT{builtin}=\"hwdb\"|IMPORT is not supported by autoprobe",
        "PROGRAM=\"/bin/true\"|PROGRAM is not supported by autoprobe",
        "ATTRS{vendor}==\"x\"|ATTRS is not supported by autoprobe",
        "KERNELS==\"x\"|KERNELS is not supported by autoprobe",
        "TAG+=\"systemd\"|TAG is not supported by autoprobe",
        "ENV{X}=\"1\"|setting ENV{X} is not supported",
        "ENV{X}+=\"1\"|setting ENV{X} is not supported",
        "ATTR{power/control}=\"auto\"|writing ATTR{power/control} is not supported",
        "ATTR{$kernel}==\"1\"|substitutions in ATTR{$kernel} are not supported",
        "ATTR{[module/sg]}==\"1\"|ATTR{[module/sg]} names no attribute of a [subsystem/device] and can never match",
        "TEST==\"$env{X}\"|substitutions in TEST \"$env{X}\" are not supported",
        "TEST==\"device/*/x\"|the '/*/' wildcard in TEST \"device/*/x\" is not supported",
        "RUN+=\"/bin/true\"|RUN of a program is not supported (only RUN{builtin}+=\"kmod load ...\")",
        "RUN{program}+=\"/bin/true\"|RUN of a program is not supported (only RUN{builtin}+=\"kmod load ...\")",
        "RUN{builtin}+=\"path_id\"|RUN{builtin} 'path_id' is not supported (only kmod)",
        "RUN{builtin}+=\"kmod unload a\"|kmod builtin expects 'load [module...]', not 'kmod unload a'",
        "RUN{builtin}+=\"kmod load $attr{x}\"|substitution $attr (%s) is not supported in 'kmod load $attr{x}'",
        "RUN{builtin}+=\"kmod load %c\"|substitution $result (%c) is not supported in 'kmod load %c'",
        "RUN{builtin}+=\"kmod $env{X}\"|RUN{builtin} command 'kmod $env{X}' must start with a literal 'kmod load'",
        "RUN{builtin}+=\"kmod load $env\"|$env without {KEY} in 'kmod load $env'",
        "RUN{builtin}+=\"kmod load $env{}\"|invalid substitution in 'kmod load $env{}'",
    })
    void unsupportedKeysSkipTheRuleButKeepItsLabel(String spec) {
        String[] parts = spec.split("\\|");
        RuleSet set = parse("GOTO=\"l\"", "RUN{builtin}+=\"kmod load a\"",
                "ACTION==\"add\", " + parts[0] + ", RUN{builtin}+=\"kmod load c\", LABEL=\"l\"",
                "RUN{builtin}+=\"kmod load b\"");
        assertEquals(List.of("f.rules:3: " + parts[1] + ", rule ignored (its LABEL=\"l\" is kept)"), warnings);
        assertEquals(List.of(List.of("b")), run(set, ADD));
    }

    @Test
    void unsupportedRuleWithoutLabelIsDroppedWhole() {
        RuleSet set = parse("KERNEL==\"sd*\", SYMLINK+=\"x\"");
        assertEquals(0, set.size());
        assertEquals(List.of("f.rules:1: SYMLINK is not supported by autoprobe, rule ignored"), warnings);
    }

    @Test
    void gotoWithoutLaterLabelIsIgnored() {
        RuleSet set = parse("LABEL=\"back\"", "GOTO=\"back\"", "ACTION==\"add\", GOTO=\"nowhere\", "
                + "RUN{builtin}+=\"kmod load a\"", "RUN{builtin}+=\"kmod load b\"");
        assertEquals(List.of("f.rules:2: GOTO=\"back\" has no matching label, ignored",
                "f.rules:3: GOTO=\"nowhere\" has no matching label, ignored"), warnings);
        assertEquals(List.of(List.of("a"), List.of("b")), run(set, ADD));
        assertEquals(List.of("f.rules:1", "f.rules:3", "f.rules:4"), set.origins());
    }

    @Test
    void multipleGotoKeepsTheFirstMultipleLabelKeepsTheLast() {
        RuleSet set = parse("GOTO=\"a\", GOTO=\"b\"", "RUN{builtin}+=\"kmod load x\"",
                "LABEL=\"b\"", "RUN{builtin}+=\"kmod load y\"", "LABEL=\"zz\", LABEL=\"a\"",
                "RUN{builtin}+=\"kmod load z\"");
        assertEquals(List.of("f.rules:1: contains multiple GOTO keys, ignoring GOTO=\"b\"",
                "f.rules:5: contains multiple LABEL keys, ignoring LABEL=\"zz\""), warnings);
        assertEquals(List.of(List.of("z")), run(set, ADD));
    }

    @Test
    void matchOnlyRulesHaveNoEffect() {
        RuleSet set = parse("KERNEL==\"sda\", ENV{X}==\"1\"");
        assertEquals(0, set.size());
        assertEquals(List.of("f.rules:1: the rule has no effect, ignored"), warnings);
    }

    @Test
    void subsystemBusOrClassIsWarnedAboutButKept() {
        RuleSet set = parse("SUBSYSTEM==\"bus\", RUN{builtin}+=\"kmod load a\"");
        assertEquals(List.of("f.rules:1: \"bus\" must be specified as \"subsystem\""), warnings);
        assertEquals(List.of(List.of("a")), run(set, FakeEvent.of("add", "/bus/x", "SUBSYSTEM", "class")));
    }
}
