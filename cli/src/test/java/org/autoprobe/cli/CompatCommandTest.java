package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autoprobe.core.testing.SysTree;
import org.autoprobe.core.testing.TrieBytes;
import org.autoprobe.core.text.RawText;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoprobe compat} over two small trees written as depmod writes them ({@code .bin} tries):
 * 1.0 has 8139cp and 8139too for the RTL8139, sym53c8xx for the SCSI card, e1000; 2.0 has dropped
 * sym53c8xx and 8139too, renamed 8139cp rtl8139, added an SD host driver, kept e1000.
 */
class CompatCommandTest {
    static final String RTL = "pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00";
    static final String SCSI = "pci:v00001000d00000012sv00000000sd00001000bc01sc00i00";
    static final String SDHCI = "pci:v00001B36d00000007sv00001AF4sd00001100bc08sc05i01";
    static final String E1000 = "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00";
    static final String NOTHING = "acpi:PNP0A03:";

    @TempDir
    Path tmp;
    Path root;
    Path conf;

    private static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("compat"));
        all.addAll(List.of(args));
        return CliRun.main(all.toArray(String[]::new));
    }

    /** compat between 1.0 and 2.0 of the fixture root, no configuration, with {@code more} arguments. */
    private CliRun compat(String... more) {
        List<String> args = new ArrayList<>(List.of("-d", root.toString(), "-C", conf.toString(), "--from", "1.0", "--to", "2.0"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Path dump(String name, String... lines) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private static void tree(Path dir, String... depAndAliases) throws IOException {
        Files.createDirectories(dir);
        List<String> dep = new ArrayList<>();
        List<String> alias = new ArrayList<>();
        for (int i = 0; i < depAndAliases.length; i += 2) {
            String module = depAndAliases[i];
            if (!dep.contains(module)) {
                dep.add(module);
                dep.add("kernel/" + module + ".ko:");
            }
            alias.add(depAndAliases[i + 1]);
            alias.add(module);
        }
        TrieBytes.write(dir.resolve("modules.dep.bin"), dep.toArray(String[]::new));
        TrieBytes.write(dir.resolve("modules.alias.bin"), alias.toArray(String[]::new));
        TrieBytes.write(dir.resolve("modules.symbols.bin"));
        TrieBytes.write(dir.resolve("modules.builtin.bin"));
    }

    @BeforeEach
    void trees() throws IOException {
        root = tmp.resolve("root");
        conf = Files.createDirectories(tmp.resolve("modprobe.d"));
        tree(root.resolve("lib/modules/1.0"),
                "8139cp", "pci:v000010ECd00008139sv*sd*bc*sc*i*",
                "8139too", "pci:v000010ECd00008139sv*sd*bc*sc*i*",
                "sym53c8xx", "pci:v00001000d00000012sv*sd*bc*sc*i*",
                "e1000", "pci:v00008086d0000100Esv*sd*bc*sc*i*");
        tree(root.resolve("lib/modules/2.0"),
                "rtl8139", "pci:v000010ECd00008139sv*sd*bc*sc*i*",
                "sdhci_pci", "pci:v*d*sv*sd*bc08sc05i*",
                "e1000", "pci:v00008086d0000100Esv*sd*bc*sc*i*");
    }

    @Test
    void aTableOfEveryModaliasLossesFirstWithTheDumpsThatHoldIt() throws IOException {
        Path a = dump("a.txt", E1000, RTL, SCSI, NOTHING);
        Path b = dump("b.txt", SDHCI, SCSI, E1000);
        CliRun r = compat(a.toString(), b.toString());
        assertEquals(CompatCommand.EXIT_LOST, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals("CHANGE\tFROM\tTO\tDUMPS\tMODALIAS\n"
                + "lost\tsym53c8xx\t-\t2\t" + SCSI + "\n"
                + "changed\t8139cp 8139too\trtl8139\t1\t" + RTL + "\n"
                + "gained\t-\tsdhci_pci\t1\t" + SDHCI + "\n"
                + "same\t-\t-\t1\t" + NOTHING + "\n"
                + "same\te1000\te1000\t2\t" + E1000 + "\n"
                + "5 MODALIAS values from 1.0 to 2.0: 1 lost, 1 changed, 1 gained, 2 the same\n", r.out());
    }

    @Test
    void theExitCodeTellsLossesFromChangesFromNeither() throws IOException {
        assertEquals(CompatCommand.EXIT_LOST, compat(dump("lost", SCSI, E1000).toString()).code());
        assertEquals(CompatCommand.EXIT_CHANGED, compat(dump("changed", RTL, SDHCI, E1000).toString()).code());
        assertEquals(0, compat(dump("gained", SDHCI, E1000, NOTHING).toString()).code());
        // going back: what was gained is lost
        CliRun back = run("-d", root.toString(), "-C", conf.toString(), "--from", "2.0", "--to", "1.0", dump("back", SDHCI).toString());
        assertEquals(CompatCommand.EXIT_LOST, back.code());
        assertTrue(back.out().startsWith("CHANGE\tFROM\tTO\tDUMPS\tMODALIAS\nlost\tsdhci_pci\t-\t1\t" + SDHCI + "\n"), back.out());
    }

    @Test
    void jsonHasOneObjectPerModaliasWithTheWholeValue() throws IOException {
        String longAlias = "cpu:type:x86,ven0002fam000Fmod006B:feature:," + "0001,".repeat(150) + "021F";
        Path a = dump("fleet/a", SCSI, RTL, longAlias);
        Files.writeString(tmp.resolve("fleet/b"), E1000 + "\n" + SCSI); // no newline at the end
        CliRun r = compat("--json", a.toString(), tmp.resolve("fleet/b").toString());
        assertEquals(CompatCommand.EXIT_LOST, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.isArray());
        assertEquals(4, json.size());
        JsonNode lost = json.get(0);
        assertEquals(SCSI, lost.get("modalias").asText());
        assertEquals("lost", lost.get("change").asText());
        assertEquals(List.of("sym53c8xx"), strings(lost.get("from")));
        assertEquals(List.of(), strings(lost.get("to")));
        assertEquals(List.of(a.toString(), tmp.resolve("fleet/b").toString()), strings(lost.get("dumps")));
        assertEquals("changed", json.get(1).get("change").asText());
        assertEquals(List.of("8139cp", "8139too"), strings(json.get(1).get("from")));
        assertEquals(List.of("rtl8139"), strings(json.get(1).get("to")));
        assertEquals(longAlias, json.get(2).get("modalias").asText());
        assertEquals("same", json.get(2).get("change").asText());
        assertEquals(E1000, json.get(3).get("modalias").asText());
        assertEquals(List.of("modalias", "from", "to", "change", "dumps", "built_in"), fieldNames(json.get(3)));
    }

    @Test
    void jsonOfNothingIsAnEmptyArray() throws IOException {
        Path onlyBad = dump("bad", "# nothing but a comment");
        CliRun r = compat("--json", onlyBad.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(0, new ObjectMapper().readTree(r.out()).size());
        assertTrue(r.err().contains(onlyBad + ": no MODALIAS in it"), r.err());
    }

    @Test
    void jsonKeepsQuotesBackslashesNonAsciiAndBytesThatAreNotUtf8() throws IOException {
        byte[] notUtf8 = {'d', 'm', 'i', ':', 's', 'v', 'n', (byte) 0xE9, '\n'};
        String odd = "of:NfooT\"bar\"C\\baz\u00e9\u4e2d\ud83d\ude00";
        Path p = tmp.resolve("odd");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((odd + "\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(notUtf8);
        Files.write(p, bytes.toByteArray());
        CliRun r = compat("--json", p.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> values = new ArrayList<>();
        json.forEach(n -> values.add(n.get("modalias").asText()));
        assertTrue(values.contains(odd), values.toString());
        assertTrue(values.contains(RawText.decode(notUtf8, 0, notUtf8.length - 1)), values.toString());
        assertTrue(r.out().contains("\\udce9"), "a byte that is not UTF-8 is escaped: " + r.out());
        assertTrue(r.out().contains("\u00e9\u4e2d"), "non-ASCII is written as it is: " + r.out());
    }

    @Test
    void badDumpLinesAreToldByFileAndLineAndTheRestIsCompared() throws IOException {
        Path p = tmp.resolve("machine-7");
        Files.write(p, ("# machine 7\n" + SCSI + "\n\n" + RTL + "\r\n" + "x".repeat(5000) + "\nvirtio:\u0001\n" + E1000 + "\n")
                .getBytes(StandardCharsets.UTF_8));
        CliRun r = compat(p.toString());
        assertEquals(CompatCommand.EXIT_LOST, r.code(), r.err());
        assertEquals("compat: " + p + ":1: a comment, not a MODALIAS: skipped\n"
                + "compat: " + p + ":3: an empty line, not a MODALIAS: skipped\n"
                + "compat: " + p + ":4: ends with a carriage return (CRLF line ends?): a MODALIAS holds no control character: skipped\n"
                + "compat: " + p + ":5: longer than 4096 bytes: no MODALIAS is: skipped\n"
                + "compat: " + p + ":6: control character 0x01 at byte 8: a MODALIAS holds none: skipped\n", r.err());
        assertTrue(r.out().contains("lost\tsym53c8xx\t-\t1\t" + SCSI + "\n"), r.out());
        assertTrue(r.out().contains("same\te1000\te1000\t1\t" + E1000 + "\n"), r.out());
        assertTrue(r.out().endsWith("2 MODALIAS values from 1.0 to 2.0: 1 lost, 0 changed, 0 gained, 1 the same\n"), r.out());
    }

    @Test
    void anUnreadableDumpIsAnErrorAndTheOthersAreStillCompared() throws IOException {
        Path good = dump("good", RTL);
        Path gone = tmp.resolve("gone");
        Path dir = Files.createDirectories(tmp.resolve("a-directory"));
        CliRun r = compat(gone.toString(), good.toString(), dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("compat: " + gone + ": cannot read: no such file"), r.err());
        assertTrue(r.err().contains("compat: " + dir + ": cannot read: "), r.err());
        assertTrue(r.out().contains("changed\t8139cp 8139too\trtl8139\t1\t" + RTL + "\n"), r.out());
    }

    @Test
    void aDumpWithoutReadPermissionIsAnError() throws IOException {
        Path locked = dump("locked", RTL);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(locked)) {
            return; // root reads it anyway: the unreadable cases above cover the message
        }
        CliRun r = compat(locked.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(locked + ": cannot read: permission denied"), r.err());
    }

    @Test
    void longModaliasValuesAreShortenedInTheTableOnly() throws IOException {
        String longAlias = "input:b0011v0001p0001eAB41-e0,1,4,11,14,k71,72,73,74,75,76,77,79,7A,7B,7C,7D,7E,7F,80,8C";
        CliRun r = compat(dump("long", longAlias).toString());
        assertEquals(0, r.code(), r.err());
        String shown = longAlias.substring(0, CompatCommand.TABLE_WIDTH - 3) + "...";
        assertTrue(r.out().contains("same\t-\t-\t1\t" + shown + "\n"), r.out());
        assertEquals(CompatCommand.TABLE_WIDTH, shown.length());
        assertEquals(RTL, CompatCommand.shortened(RTL));
    }

    @Test
    void aModuleTreeGivenAsADirectoryAndOneAsAVersion() throws IOException {
        Path moddir = tmp.resolve("elsewhere/6.12-test");
        tree(moddir, "rtl8139", "pci:v000010ECd00008139sv*sd*bc*sc*i*");
        CliRun r = run("-d", root.toString(), "-C", conf.toString(), "--from", "1.0", "--to", moddir.toString(), dump("d", RTL).toString());
        assertEquals(CompatCommand.EXIT_CHANGED, r.code(), r.err());
        assertTrue(r.out().contains("changed\t8139cp 8139too\trtl8139\t1\t" + RTL), r.out());
        // the same tree on both sides: nothing changes
        CliRun same = run("-C", conf.toString(), "--from", moddir.toString(), "--to", moddir.resolve("../6.12-test").toString(),
                dump("e", RTL).toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("same\trtl8139\trtl8139\t1\t" + RTL), same.out());
    }

    @Test
    void theBlacklistOfTheConfigurationAppliesOnBothSides() throws IOException {
        Files.writeString(conf.resolve("bl.conf"), "blacklist 8139too\nblacklist sdhci_pci\n");
        CliRun r = compat(dump("d", RTL, SDHCI).toString());
        assertEquals(CompatCommand.EXIT_CHANGED, r.code(), r.err());
        assertTrue(r.out().contains("changed\t8139cp\trtl8139\t1\t" + RTL + "\n"), r.out());
        assertTrue(r.out().contains("same\t-\t-\t1\t" + SDHCI + "\n"), r.out());
    }

    @Test
    void aTreeThatIsNotThereIsFatal() throws IOException {
        Path d = dump("d", RTL);
        CliRun r = run("-d", root.toString(), "--from", "9.9", "--to", "2.0", d.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("compat: FATAL: module directory " + root.toAbsolutePath().resolve("lib/modules/9.9") + " not found\n", r.err());
        assertEquals("", r.out());
        CliRun both = run("-d", root.toString(), "--from", "8.8", "--to", tmp.resolve("nowhere/x").toString(), d.toString());
        assertEquals(1, both.code());
        assertEquals("compat: FATAL: module directory " + root.toAbsolutePath().resolve("lib/modules/8.8") + " not found\n"
                + "compat: FATAL: module directory " + tmp.resolve("nowhere/x") + " not found\n", both.err());
    }

    @Test
    void aTreeWithoutItsAliasIndexIsFatal() throws IOException {
        Files.delete(root.resolve("lib/modules/2.0/modules.alias.bin"));
        CliRun r = compat(dump("d", RTL).toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("compat: FATAL: cannot read the alias index of " + root.resolve("lib/modules/2.0")), r.err());
        assertTrue(r.err().contains("(run depmod)"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void withoutDumpsThisMachinesDevicesAreCompared() throws IOException {
        SysTree t = new SysTree(tmp);
        Path sys = t.sys();
        t.device("/devices/pci0000:00/0000:00:03.0", "DRIVER=e1000\nMODALIAS=" + E1000 + "\n");
        t.device("/devices/pci0000:00/0000:00:04.0", "MODALIAS=" + RTL + "\n");
        t.device("/devices/pci0000:00/0000:00:05.0", "MODALIAS=" + SCSI + "\n");
        t.device("/devices/pci0000:00/0000:00:06.0", "MODALIAS=" + RTL + "\n");
        t.device("/devices/virtual/no-alias", "DEVTYPE=x\n");
        CliRun r = compat("--sys", sys.toString());
        assertEquals(CompatCommand.EXIT_LOST, r.code(), r.err());
        assertEquals("CHANGE\tFROM\tTO\tMODALIAS\n"
                + "lost\tsym53c8xx\t-\t" + SCSI + "\n"
                + "changed\t8139cp 8139too\trtl8139\t" + RTL + "\n"
                + "same\te1000\te1000\t" + E1000 + "\n"
                + "3 MODALIAS values from 1.0 to 2.0: 1 lost, 1 changed, 0 gained, 1 the same\n", r.out());
        JsonNode json = new ObjectMapper().readTree(compat("--sys", sys.toString(), "--json").out());
        assertEquals(List.of(), strings(json.get(0).get("dumps")));
        CliRun noSys = compat("--sys", tmp.resolve("nosys").toString());
        assertEquals(1, noSys.code());
        assertTrue(noSys.err().contains("no such directory"), noSys.err());
    }

    @Test
    void usageErrors() throws IOException {
        assertEquals(2, run("--from", "1.0").code());
        assertEquals(2, compat("--sys", tmp.toString(), dump("d", RTL).toString()).code());
        CliRun empty = run("-d", root.toString(), "--from", "", "--to", "2.0");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("--from needs a KVER or a MODDIR"), empty.err());
    }

    @Test
    void theHelpSaysTheExitCodes() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("  3  some device's modules change, none is lost"), r.out());
        assertTrue(r.out().contains("  4  some device loses its modules"), r.out());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
