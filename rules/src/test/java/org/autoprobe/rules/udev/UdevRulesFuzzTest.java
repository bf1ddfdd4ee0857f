package org.autoprobe.rules.udev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for udev-style rules: any rules file gives a {@link RuleSet} and warnings that name
 * the file and an existing line, never an exception; evaluating it for any event gives the same
 * loads every time, ends, and never throws.
 *
 * <p>Input layout: the rules file, a NUL, then the event as {@code KEY=VALUE} entries each ended by
 * a NUL (uevent style). An entry {@code @name=value} is the sysfs attribute {@code name} of the
 * device (it then exists, for TEST, as a regular file).
 */
class UdevRulesFuzzTest {
    private static final String FILE = "/etc/autoprobe/rules.d/50-fuzzed.rules";
    private static final Pattern WARNING = Pattern.compile(Pattern.quote(FILE) + ":(\\d+): .+", Pattern.DOTALL);

    @FuzzTest
    void parseAndEvaluate(byte[] data) {
        int nul = 0;
        while (nul < data.length && data[nul] != 0) {
            nul++;
        }
        String text = new String(data, 0, nul, StandardCharsets.UTF_8);
        List<String> lines = Arrays.asList(text.split("\n", -1));
        List<String> warnings = new ArrayList<>();
        RuleSet rules = UdevRulesParser.parse(FILE, lines, warnings::add);
        for (String w : warnings) {
            Matcher m = WARNING.matcher(w);
            assertTrue(m.matches(), "warning without file and line: " + w);
            int line = Integer.parseInt(m.group(1));
            assertTrue(line >= 1 && line <= lines.size(), "warning for line " + line + " of " + lines.size());
        }
        assertTrue(rules.size() <= lines.size(), rules.size() + " rules from " + lines.size() + " lines");
        for (String origin : rules.origins()) {
            assertTrue(origin.startsWith(FILE + ":"), origin);
        }
        Map<String, String> props = new HashMap<>();
        Map<String, String> attrs = new HashMap<>();
        int pos = nul + 1;
        while (pos < data.length) {
            int end = pos;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            String entry = new String(data, pos, end - pos, StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq > 0) {
                (entry.startsWith("@") ? attrs : props).putIfAbsent(entry.substring(entry.startsWith("@") ? 1 : 0, eq),
                        entry.substring(eq + 1));
            }
            pos = end + 1;
        }
        FakeEvent event = FakeEvent.of(props);
        Sysfs sysfs = new Sysfs(event.devpath(), attrs);
        List<KmodLoad> loads = rules.evaluate(event, sysfs);
        for (KmodLoad load : loads) {
            assertNotNull(load);
            for (String name : load.names()) {
                assertNotNull(name);
            }
            // an explicit '' in the command is an empty name, as udev splits it; the MODALIAS is never empty
            List<String> targets = load.targets(event);
            assertTrue(!load.usesModalias() || targets.isEmpty() || !targets.get(0).isEmpty(), "an empty MODALIAS");
            targets.forEach(t -> assertNotNull(t));
        }
        List<KmodLoad> reused = new ArrayList<>(List.of(KmodLoad.MODALIAS));
        rules.evaluate(event, sysfs, reused);
        assertEquals(loads, reused, "evaluation into a reused list differs");
        // the file's rules, then the same rules again: each file's GOTOs stay in that file
        List<KmodLoad> twice = RuleSet.concat(List.of(rules, RuleSet.empty())).evaluate(event, sysfs);
        assertEquals(loads, twice, "concatenating no rules changes the outcome");
    }


    /** The device's attributes are the input's {@code @} entries; no other file exists. */
    private record Sysfs(String devpath, Map<String, String> attrs) implements SysfsView {
        @Override
        public String attribute(String dev, String file) {
            return devpath != null && devpath.equals(dev) ? attrs.get(file) : null;
        }

        @Override
        public int mode(String dev, String file) {
            if (dev == null) {
                return -1;
            }
            if (file.isEmpty()) {
                return 0040755;
            }
            return attribute(dev, file) != null ? 0100644 : -1;
        }

        @Override
        public String devpathOf(String subsystem, String sysname) {
            return attrs.containsKey("[" + subsystem + "/" + sysname + "]") ? "/" + subsystem + "/" + sysname : null;
        }
    }
}
