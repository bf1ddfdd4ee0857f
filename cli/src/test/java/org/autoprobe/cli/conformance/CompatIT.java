package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code autoprobe compat} from Debian 12's 6.1 tree (kmod 30's depmod, {@link KernelTree}) to Debian 13's 6.12
 * tree (its package's index files, written by kmod 34's depmod: {@link Debian13Root}), over real device lists: the
 * two e2e guests' MODALIAS dumps recorded in {@code src/test/resources/compat} and this host's {@code /sys}. Every
 * answer is checked against kmod's own tools, run independently: {@code modprobe -R} of this system's kmod 30 on the
 * 6.1 tree and kmod 34's, by chroot into the Debian 13 root, on the 6.12 tree (each module once, in the order
 * printed), with no configuration on either side; and so are the change and the exit code.
 */
class CompatIT {
    private static final String[] DUMPS = {"e2e-guest-default.modalias", "e2e-guest-autoloading.modalias"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static KernelTree tree;
    private static Debian13Root debian13;
    private static Path from;
    private static Path work;
    private static List<Path> dumps = new ArrayList<>();

    @BeforeAll
    static void trees() throws IOException {
        tree = KernelTree.get();
        debian13 = Debian13Root.get();
        from = tree.moduleDir(tree.reference());
        work = Files.createDirectories(tree.workDir().resolve("compat"));
        for (String name : DUMPS) {
            Path p = work.resolve(name);
            try (InputStream in = CompatIT.class.getResourceAsStream("/compat/" + name)) {
                assertTrue(in != null, "resource compat/" + name);
                Files.write(p, in.readAllBytes());
            }
            dumps.add(p);
        }
        List<String> host = new ArrayList<>();
        for (SysfsDevice d : SysfsDevices.scan(Path.of("/sys"), w -> { })) {
            d.modalias().ifPresent(host::add);
        }
        Path hostDump = work.resolve("this-host.modalias");
        Files.writeString(hostDump, host.isEmpty() ? "" : String.join("\n", host) + "\n");
        if (!host.isEmpty()) {
            dumps.add(hostDump);
        }
    }

    /** kmod's {@code -R} lines, each module once in the order printed; empty when it found none. */
    private static List<String> names(Proc.Result r, String what) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : r.outText().split("\n")) {
            if (!line.isEmpty()) {
                names.add(line);
            }
        }
        assertTrue(r.exit() == 0 ? !names.isEmpty() : names.isEmpty() && r.err().contains("not found"), what + ": " + r.describe());
        return List.copyOf(names);
    }

    private static List<String> kmod30(String alias) {
        return names(Proc.run(List.of("modprobe", "-d", tree.reference().toString(), "-S", tree.kernelVersion(),
                "-C", tree.emptyConfigDir().toString(), "-R", alias)), "kmod 30 -R " + alias);
    }

    private static List<String> kmod34(String alias) {
        return names(Proc.run(List.of("chroot", debian13.root().toString(), "modprobe", "-S", debian13.kver(),
                "-C", "/dev/null", "-R", alias)), "kmod 34 -R " + alias);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String change(List<String> a, List<String> b) {
        if (a.equals(b)) {
            return "same";
        }
        if (b.isEmpty()) {
            // a driver built into the new kernel is no loss: kmod 34's --show-depends says "builtin NAME"
            return !builtIn34(a).isEmpty() && builtIn34(a).equals(a) ? "changed" : "lost";
        }
        return a.isEmpty() ? "gained" : "changed";
    }

    /** The modules of {@code names} that kmod 34 calls built in on the 6.12 tree ({@code --show-depends}). */
    private static List<String> builtIn34(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            Proc.Result r = Proc.run(List.of("chroot", debian13.root().toString(), "modprobe", "-S", debian13.kver(),
                    "-C", "/dev/null", "--show-depends", n));
            if (new String(r.out(), StandardCharsets.UTF_8).strip().equals("builtin " + n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static Cli.Result compat(List<String> more) {
        List<String> args = new ArrayList<>(List.of("compat", "-C", tree.emptyConfigDir().toString(),
                "--from", from.toString(), "--to", debian13.moduleDir().toString()));
        args.addAll(more);
        return Cli.run(args);
    }

    @Test
    void everyDeviceOfTheDumpsIsAnsweredAsKmod30And34AnswerIt() throws IOException {
        List<String> args = new ArrayList<>(List.of("--json"));
        dumps.forEach(d -> args.add(d.toString()));
        Cli.Result r = compat(args);
        assertEquals("", r.err(), r.describe());
        JsonNode json = MAPPER.readTree(r.out());

        // every MODALIAS of every dump, once, with the dumps that hold it
        Map<String, Set<String>> expectedDumps = new LinkedHashMap<>();
        for (Path d : dumps) {
            for (String line : Files.readAllLines(d, StandardCharsets.UTF_8)) {
                expectedDumps.computeIfAbsent(line, k -> new TreeSet<>()).add(d.toString());
            }
        }
        assertEquals(expectedDumps.size(), json.size(), "one object per distinct MODALIAS");

        List<String> differ = new ArrayList<>();
        Map<String, List<String>> notSame = new LinkedHashMap<>();
        int order = 0;
        List<String> words = List.of("lost", "changed", "gained", "same");
        for (JsonNode e : json) {
            String alias = e.get("modalias").asText();
            List<String> a = kmod30(alias);
            List<String> b = kmod34(alias);
            String change = change(a, b);
            List<String> builtIn = change.equals("changed") && b.isEmpty() ? a : List.of();
            if (!a.equals(strings(e.get("from"))) || !b.equals(strings(e.get("to"))) || !change.equals(e.get("change").asText())
                    || !builtIn.equals(strings(e.get("built_in")))) {
                differ.add(alias + ": ours " + e + ", kmod 30 " + a + ", kmod 34 " + b);
            }
            assertEquals(new ArrayList<>(expectedDumps.get(alias)), new ArrayList<>(new TreeSet<>(strings(e.get("dumps")))), alias);
            int rank = words.indexOf(e.get("change").asText());
            assertTrue(rank >= order, "losses first, then changes, gains, the same: " + alias);
            order = rank;
            if (!change.equals("same")) {
                notSame.put(alias, List.of(change, String.join(" ", a), String.join(" ", b)));
            }
        }
        assertEquals(List.of(), differ);
        // a kernel upgrade of two years does change some real devices' modules
        assertFalse(notSame.isEmpty(), "no device changes between " + tree.kernelVersion() + " and " + debian13.kver());
        int expectedExit = notSame.values().stream().anyMatch(v -> v.get(0).equals("lost")) ? 4
                : notSame.values().stream().anyMatch(v -> v.get(0).equals("changed")) ? 3 : 0;
        assertEquals(expectedExit, r.exit(), r.describe());
        System.out.printf("[compat] %s -> %s: %d MODALIAS values of %d dumps, every one as kmod 30 and kmod 34 answer it;"
                + " exit %d; not the same:%n", tree.kernelVersion(), debian13.kver(), json.size(), dumps.size(), r.exit());
        notSame.forEach((alias, v) -> System.out.printf("[compat]   %-7s %s: [%s] -> [%s]%n", v.get(0),
                alias.length() > 70 ? alias.substring(0, 67) + "..." : alias, v.get(1), v.get(2)));
    }

    @Test
    void theTableAndThisMachinesDevicesAgreeWithTheJson() throws IOException {
        List<String> dumpArgs = new ArrayList<>();
        dumps.forEach(d -> dumpArgs.add(d.toString()));
        List<String> jsonArgs = new ArrayList<>(dumpArgs);
        jsonArgs.add("--json");
        JsonNode json = MAPPER.readTree(compat(jsonArgs).out());
        Cli.Result table = compat(dumpArgs);
        String[] lines = table.outText().split("\n");
        assertEquals(json.size() + 2, lines.length, "header, one line per MODALIAS, counts");
        assertEquals("CHANGE\tFROM\tTO\tDUMPS\tMODALIAS", lines[0]);
        for (int i = 0; i < json.size(); i++) {
            JsonNode e = json.get(i);
            String[] cols = lines[i + 1].split("\t");
            assertEquals(e.get("change").asText(), cols[0]);
            assertEquals(strings(e.get("from")).isEmpty() ? "-" : String.join(" ", strings(e.get("from"))), cols[1]);
            assertEquals(!strings(e.get("built_in")).isEmpty() ? String.join(" ", strings(e.get("built_in"))) + " (built in)"
                    : strings(e.get("to")).isEmpty() ? "-" : String.join(" ", strings(e.get("to"))), cols[2]);
            assertEquals(Integer.toString(e.get("dumps").size()), cols[3]);
            String alias = e.get("modalias").asText();
            assertTrue(alias.length() <= 64 ? cols[4].equals(alias) : cols[4].endsWith("...")
                    && alias.startsWith(cols[4].substring(0, cols[4].length() - 3)) && cols[4].length() == 64, cols[4]);
        }

        // without dumps: this machine's /sys, the same answers as in the dumps' run (the host's values are one of them)
        Cli.Result sys = compat(List.of("--json"));
        JsonNode mine = MAPPER.readTree(sys.out());
        Map<String, JsonNode> byAlias = new LinkedHashMap<>();
        json.forEach(e -> byAlias.put(e.get("modalias").asText(), e));
        for (JsonNode e : mine) {
            JsonNode same = byAlias.get(e.get("modalias").asText());
            assertTrue(same != null, "a device of /sys missing from the host dump: " + e);
            assertEquals(same.get("from"), e.get("from"));
            assertEquals(same.get("to"), e.get("to"));
            assertEquals(same.get("change"), e.get("change"));
            assertEquals(0, e.get("dumps").size());
        }
        System.out.printf("[compat] this host's /sys: %d MODALIAS values, exit %d%n", mine.size(), sys.exit());
    }

    @Test
    void aTreeThatIsNotThereIsFatal() {
        Cli.Result r = Cli.run("compat", "-d", tree.reference().toString(), "--from", tree.kernelVersion(),
                "--to", "no-such-" + tree.kernelVersion(), dumps.get(0).toString());
        assertEquals(1, r.exit(), r.describe());
        assertEquals("compat: FATAL: module directory " + tree.reference().resolve("lib/modules/no-such-" + tree.kernelVersion())
                + " not found\n", r.err());
    }
}
