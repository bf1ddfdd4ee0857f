package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code autoprobe explain} on Debian's real tree with the modprobe.d fixture (blacklists, config
 * aliases, options, softdeps, install commands, aliases to missing modules), against kmod's own
 * answers for the same lookups: the modules each lookup names are {@code modprobe -R}'s; a module
 * explained as blacklisted is one the configuration blacklists, as built-in one kmod's
 * {@code --show-depends} calls builtin; and every load order explain gives is
 * {@code modprobe --show-depends NAME}'s, line for line.
 */
class ExplainConformanceIT {
    private static KernelTree tree;
    private static Path conf;

    @BeforeAll
    static void setUp() {
        tree = KernelTree.get();
        conf = ModprobeConfigFixture.write(tree, "explain-modprobe.d");
    }

    private static List<String> common() {
        return List.of("-d", tree.reference().toString(), "-S", tree.kernelVersion(), "-C", conf.toString());
    }

    /** One "lookup" section of explain's output: the modules in order, with their reasons and load lines. */
    private record Section(String lookup, Map<String, String> reasons, Map<String, List<String>> loads) {
    }

    private static List<Section> sections(String out) {
        List<Section> all = new ArrayList<>();
        Section cur = null;
        String module = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("lookup ")) {
                cur = new Section(line.substring(7), new LinkedHashMap<>(), new LinkedHashMap<>());
                all.add(cur);
                module = null;
            } else if (line.startsWith("module ") && cur != null && !line.contains("wanted by")) {
                int colon = line.indexOf(": ");
                module = line.substring(7, colon);
                String reason = line.substring(colon + 2);
                cur.reasons().putIfAbsent(module, reason.replace(" (above)", ""));
                cur.loads().putIfAbsent(module, new ArrayList<>());
            } else if (line.startsWith("  load ") && module != null) {
                cur.loads().get(module).add(line.substring(line.indexOf(": ") + 2));
            }
        }
        return all;
    }

    @Test
    void lookupsReasonsAndLoadOrderAreKmods() {
        List<String> lookups = new ArrayList<>(ModprobeConfigFixture.LOOKUPS);
        lookups.addAll(Corpus.sample(150));
        List<Section> sections = new ArrayList<>();
        for (String lookup : lookups) {
            List<String> args = new ArrayList<>(List.of("explain"));
            args.addAll(common());
            args.add(lookup);
            Cli.Result ours = Cli.run(args);
            assertEquals(0, ours.exit(), ours.err());
            // "lookup X" for an alias; a module's own name is explained as the module ("module X: ...")
            String out = new String(ours.out(), StandardCharsets.UTF_8);
            List<Section> one = sections(out.startsWith("lookup ") ? out : "lookup " + lookup + "\n" + out);
            assertEquals(1, one.size(), out);
            sections.add(one.get(0));
        }
        Set<String> blacklist = blacklist();
        Mismatches m = new Mismatches("explain against kmod");
        int loadsCompared = 0;
        Set<String> reasonsSeen = new LinkedHashSet<>();
        for (Section s : sections) {
            List<String> kmodNames = s.lookup().equals("") ? List.of() : kmod("-R", s.lookup());
            List<String> distinct = new ArrayList<>(new LinkedHashSet<>(kmodNames));
            if (!distinct.equals(new ArrayList<>(s.reasons().keySet()))) {
                m.note(s.lookup() + ": kmod -R " + distinct + ", explain " + s.reasons().keySet());
                continue;
            }
            for (Map.Entry<String, String> e : s.reasons().entrySet()) {
                String name = e.getKey();
                String reason = e.getValue();
                reasonsSeen.add(reason);
                if (blacklist.contains(name) != reason.equals("blacklisted")) {
                    m.note(s.lookup() + ": " + name + " is " + reason + ", the fixture's blacklist " + (blacklist.contains(name) ? "has" : "lacks") + " it");
                }
                if (reason.equals("blacklisted")) {
                    continue;
                }
                List<String> kmodLoad = kmod("--show-depends", name).stream().map(String::strip).toList();
                if (reason.equals("built-in") != (kmodLoad.size() == 1 && kmodLoad.get(0).startsWith("builtin "))) {
                    m.note(s.lookup() + ": " + name + " is " + reason + ", kmod's --show-depends: " + kmodLoad);
                }
                if (reason.equals("would-load") || reason.equals("install-command") || reason.equals("loaded")) {
                    loadsCompared++;
                    if (!kmodLoad.equals(s.loads().get(name))) {
                        m.note(s.lookup() + ": " + name + " load order " + s.loads().get(name) + ", kmod " + kmodLoad);
                    }
                }
            }
        }
        m.assertNone();
        System.out.println("[conformance] explain: " + sections.size() + " lookups, " + loadsCompared
                + " load orders equal to kmod's; reasons seen " + reasonsSeen);
        assertTrue(reasonsSeen.containsAll(List.of("would-load", "blacklisted", "install-command", "alias-to-missing")),
                "the fixture and corpus reach the reasons: " + reasonsSeen);
        assertTrue(loadsCompared > 100, "load orders compared: " + loadsCompared);
    }

    @Test
    void aDeviceWithoutMatchAndATreeThatIsNotThere() {
        Cli.Result none = Cli.run(List.of("explain", "-d", tree.reference().toString(), "-S", tree.kernelVersion(), "-C",
                conf.toString(), "pci:v0000FFFFd0000FFFFsv0sd0bc00sc00i00"));
        assertEquals(0, none.exit());
        assertTrue(new String(none.out(), StandardCharsets.UTF_8).contains("  no-match: "), new String(none.out(), StandardCharsets.UTF_8));
        Cli.Result missing = Cli.run(List.of("explain", "-d", "/nonexistent", "-S", "1", "pci:foo"));
        assertEquals(1, missing.exit());
        assertEquals("autoprobe explain: FATAL: module directory /nonexistent/lib/modules/1 not found\n", missing.err());
    }

    /**
     * {@code devices --json} over a sysfs whose devices carry real MODALIAS values (the fixture's
     * aliases and a corpus sample) on Debian's tree: each device's modules are kmod's {@code -R}
     * answer, the blacklisted ones marked so, the rest {@code would-load} (nothing is loaded here),
     * and a device nothing matches {@code no-match}.
     */
    @Test
    void devicesOnTheRealTreeAnswerAsKmod() throws Exception {
        Path sys = java.nio.file.Files.createTempDirectory("explain-it-sys");
        List<String> aliases = new ArrayList<>();
        for (String l : ModprobeConfigFixture.LOOKUPS) {
            if (l.indexOf(':') >= 0) {
                aliases.add(l);
            }
        }
        aliases.addAll(Corpus.sample(60));
        aliases.add("pci:v0000FFFFd0000FFFFsv0sd0bc00sc00i00");
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(aliases));
        for (int i = 0; i < distinct.size(); i++) {
            Path dir = java.nio.file.Files.createDirectories(sys.resolve(String.format("devices/test/dev%03d", i)));
            java.nio.file.Files.writeString(dir.resolve("uevent"), "MODALIAS=" + distinct.get(i) + "\n");
        }
        List<String> args = new ArrayList<>(List.of("devices", "--json", "--no-names", "--sys", sys.toString()));
        args.addAll(common());
        Cli.Result ours = Cli.run(args);
        assertEquals(0, ours.exit(), ours.err());
        com.fasterxml.jackson.databind.JsonNode array = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ours.out());
        assertEquals(distinct.size(), array.size());
        Set<String> blacklist = blacklist();
        Mismatches m = new Mismatches("devices --json against kmod");
        Set<String> reasons = new LinkedHashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode d : array) {
            String alias = d.get("modalias").asText();
            List<String> expected = new ArrayList<>(new LinkedHashSet<>(kmod("-R", alias)));
            List<String> names = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode mod : d.get("modules")) {
                String name = mod.get("name").asText();
                String reason = mod.get("reason").asText();
                names.add(name);
                reasons.add(reason);
                if (blacklist.contains(name) != reason.equals("blacklisted")) {
                    m.note(alias + ": " + name + " is " + reason);
                }
            }
            if (!expected.equals(names)) {
                m.note(alias + ": kmod -R " + expected + ", devices " + names);
            }
            if (expected.isEmpty() != d.get("reason").asText().equals("no-match")) {
                m.note(alias + ": reason " + d.get("reason").asText() + " with kmod's " + expected);
            }
        }
        m.assertNone();
        assertTrue(reasons.containsAll(List.of("would-load", "blacklisted")), reasons.toString());
        System.out.println("[conformance] devices --json: " + array.size() + " devices equal to kmod's answers; reasons " + reasons);
    }

    private static List<String> kmod(String... args) {
        List<String> cmd = new ArrayList<>(List.of("modprobe"));
        cmd.addAll(common());
        cmd.addAll(List.of(args));
        Proc.Result r = Proc.run(cmd);
        String out = new String(r.out(), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        return lines;
    }

    /** The fixture's blacklist as kmod reads it ({@code modprobe -c}'s blacklist lines). */
    private static Set<String> blacklist() {
        Set<String> names = new LinkedHashSet<>();
        for (String l : kmod("-c")) {
            if (l.startsWith("blacklist ")) {
                names.add(l.substring("blacklist ".length()).strip());
            }
        }
        return names;
    }
}
