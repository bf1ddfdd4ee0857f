package org.autoprobe.rules.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The rules tell their event of every test and use of the device's name and path, and what they tell
 * is enough to answer the same test again for another path, exactly as the rules would.
 */
class NameConditionTest {
    private static final String[] KEYS = {
        "KERNEL==\"2-1:1.0\"", "KERNEL!=\"2-1:1.0\"", "KERNEL==\"?-1:1.0\"", "KERNEL==\"mtd*ro\"",
        "KERNEL==\"input[0-9]|event*\"", "KERNEL==\"\"", "KERNEL==\"?*\"", "KERNEL==\"cciss/c0d*\"",
        "DEVPATH==\"/devices/pci0000:00/0000:00:04.0/usb2/*\"", "DEVPATH!=\"*/usb1/*\"", "DEVPATH==\"*input*\"",
    };
    private static final String[] PATHS = {
        "/devices/pci0000:00/0000:00:04.0/usb2/2-1/2-1:1.0",
        "/devices/pci0000:00/0000:00:04.0/usb1/1-1/1-1:1.0",
        "/devices/pci0000:00/0000:00:04.0/usb1/1-1/1-1:1.0/0003:0627:0001.0002/input/input7",
        "/devices/virtual/mtd/mtd3ro",
        "/devices/x/block/cciss!c0d0",
    };

    /** A view that notes what the rules tell it. */
    private static final class Noting implements UeventView {
        final FakeEvent inner;
        final List<String[]> tested = new ArrayList<>();
        final List<String[]> used = new ArrayList<>();

        Noting(String devpath) {
            inner = FakeEvent.of("add", devpath, "SUBSYSTEM", "usb", "MODALIAS", "usb:v0627p0001");
        }

        @Override public String action() { return inner.action(); }
        @Override public String devpath() { return inner.devpath(); }
        @Override public String subsystem() { return inner.subsystem(); }
        @Override public String driver() { return inner.driver(); }
        @Override public String property(String key) { return inner.property(key); }

        @Override
        public void nameTested(String field, String spec, boolean result) {
            tested.add(new String[] {field, spec, Boolean.toString(result)});
        }

        @Override
        public void nameUsed(String what, String value) {
            used.add(new String[] {what, value});
        }
    }

    private static RuleSet rules(String line) {
        List<String> warnings = new ArrayList<>();
        RuleSet set = UdevRulesParser.parse("t.rules", List.of(line), warnings::add);
        assertEquals(List.of(), warnings);
        return set;
    }

    @Test
    void eachTestOfTheNameIsToldAndAnswersForAnotherPathAsTheRulesWould() {
        for (String key : KEYS) {
            RuleSet set = rules(key + ", RUN{builtin}+=\"kmod load x\"");
            for (String recordedAt : PATHS) {
                Noting n = new Noting(recordedAt);
                boolean fired = !set.evaluate(n, new FakeSysfs()).isEmpty();
                assertEquals(1, n.tested.size(), key);
                String[] t = n.tested.get(0);
                assertEquals(fired, Boolean.parseBoolean(t[2]), key + " at " + recordedAt);
                for (String other : PATHS) {
                    Noting again = new Noting(other);
                    boolean firesThere = !set.evaluate(again, new FakeSysfs()).isEmpty();
                    String value = t[0].equals("KERNEL") ? NameCondition.kernelOf(other) : other;
                    assertEquals(firesThere, NameCondition.test(t[1], value), key + " replayed at " + other);
                }
            }
        }
    }

    @Test
    void theNameAndPathUsedInACommandAreTold() {
        RuleSet set = rules("SUBSYSTEM==\"usb\", RUN{builtin}+=\"kmod load %k m-%n m-$devpath\"");
        Noting n = new Noting("/devices/pci0000:00/0000:00:04.0/usb1/1-1/1-1:1.0/0003:0627:0001.0002/input/input7");
        List<KmodLoad> loads = set.evaluate(n, new FakeSysfs());
        assertEquals(List.of("input7", "m-7", "m-" + n.devpath()), loads.get(0).names());
        assertEquals(List.of("kernel=input7", "number=7", "devpath=" + n.devpath()),
                n.used.stream().map(u -> u[0] + "=" + u[1]).toList());
        for (String[] u : n.used) {
            assertEquals(u[1], NameCondition.value(u[0], n.devpath()));
        }
    }

    @Test
    void aTextThatIsNoTestIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NameCondition.test("=x", "a"));
        assertThrows(IllegalArgumentException.class, () -> NameCondition.test("<=-a", "a"));
        assertThrows(IllegalArgumentException.class, () -> NameCondition.test("==?a", "a"));
        assertEquals(true, NameCondition.test("==-a|b", "b"));
        assertEquals(null, NameCondition.value("seqnum", "/devices/x"));
        assertEquals("", NameCondition.numberOf("usb"));
    }
}
