package org.autoprobe.rules.udev;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class UdevRulesPropertiesTest {
    @Provide
    Arbitrary<String> rulesish() {
        Arbitrary<String> pieces = Arbitraries.of("ACTION", "KERNEL", "SUBSYSTEM", "DRIVER", "DEVPATH", "ENV{MODALIAS}",
                "ATTR{vendor}", "ATTR{[module/sg]x}", "TEST", "TEST{0644}", "RUN{builtin}", "RUN", "GOTO", "LABEL",
                "NAME", "==", "!=", "=", "+=", ":=", "-=", "\"", "e\"", "i\"", "\\", "\\\"", "kmod load ", "$env{",
                "%k", "$$", "}", "{", ",", " ", "\t", "#", "|", "*", "?", "[", "]", "a", "x", "\n", "\0", "é");
        return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property
    void parserNeverThrowsAndEveryWarningNamesFileAndLine(@ForAll("rulesish") String text, @ForAll List<String> raw) {
        List<String> warnings = new ArrayList<>();
        List<String> lines = List.of(text.split("\n", -1));
        RuleSet a = UdevRulesParser.parse("p.rules", lines, warnings::add);
        RuleSet b = UdevRulesParser.parse("p.rules", raw, warnings::add);
        for (String w : warnings) {
            assertTrue(w.matches("(?s)p\\.rules:\\d+: .*"), w);
        }
        UeventView e = FakeEvent.of("add", "/devices/x/mtd0ro", "SUBSYSTEM", "scsi", "MODALIAS", "m:1");
        for (RuleSet set : List.of(a, b, RuleSet.concat(List.of(a, b)))) {
            set.evaluate(e, new FakeSysfs());
        }
    }

    @Property
    void evaluationAlwaysEnds(@ForAll("rulesish") String text) {
        RuleSet set = UdevRulesParser.parse("p.rules", List.of(text.split("\n", -1)), w -> { });
        set.evaluate(FakeEvent.of("remove", "/d"), new FakeSysfs().device("module", "sg", "/module/sg"));
    }
}
