package org.autoprobe.cli.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code autoprobe modinfo} against kmod's modinfo, byte for byte, on a sample of modules spread over the
 * tree: by file path, by name with {@code -b/-k}, single fields with {@code -F}, NUL-separated with {@code -0},
 * builtin modules, aliases, several names at once, and names that do not exist.
 */
class ModinfoConformanceIT {
    /** Fields for -F, cycled over the sample: common ones, merged parm, signature fields, absent ones. */
    private static final List<String> FIELDS = List.of("alias", "depends", "parm", "vermagic", "description", "license",
            "filename", "name", "signer", "sig_key", "author", "firmware", "srcversion", "intree", "retpoline",
            "parmtype", "version", "softdep", "import_ns", "signature", "sig_hashalgo", "sig_id", "nosuchfield", "file");

    private static KernelTree tree;
    private static List<KernelTree.ModuleFile> sample;

    @BeforeAll
    static void setUp() {
        tree = KernelTree.get();
        List<KernelTree.ModuleFile> byPath = new ArrayList<>(tree.modules());
        byPath.sort(Comparator.comparing(KernelTree.ModuleFile::relativePath));
        int count = 240;
        int step = Math.max(1, byPath.size() / count);
        sample = new ArrayList<>();
        for (int i = 0; i < byPath.size() && sample.size() < count; i += step) {
            sample.add(byPath.get(i));
        }
    }

    private static Path moduleDir() {
        return tree.moduleDir(tree.reference());
    }

    private static List<String> byName(String... rest) {
        List<String> a = new ArrayList<>(List.of("-b", tree.reference().toString(), "-k", tree.kernelVersion()));
        a.addAll(List.of(rest));
        return a;
    }

    @Test
    void byFilePath() {
        Mismatches m = new Mismatches("modinfo PATH");
        for (KernelTree.ModuleFile f : sample) {
            compare(m, List.of(moduleDir().resolve(f.relativePath()).toString()));
        }
        m.assertNone();
    }

    @Test
    void byNameWithBaseDirAndKernelVersion() {
        Mismatches m = new Mismatches("modinfo -b ROOT -k KVER NAME");
        for (KernelTree.ModuleFile f : sample) {
            compare(m, byName(f.name()));
        }
        m.assertNone();
    }

    @Test
    void singleFields() {
        Mismatches m = new Mismatches("modinfo -F FIELD");
        for (int i = 0; i < sample.size(); i++) {
            String field = FIELDS.get(i % FIELDS.size());
            compare(m, byName("-F", field, sample.get(i).name()));
            if (i % 5 == 0) {
                compare(m, List.of("-F", FIELDS.get((i + 7) % FIELDS.size()),
                        moduleDir().resolve(sample.get(i).relativePath()).toString()));
            }
        }
        m.assertNone();
    }

    @Test
    void nulSeparated() {
        Mismatches m = new Mismatches("modinfo -0");
        for (int i = 0; i < sample.size(); i += 3) {
            compare(m, byName("-0", sample.get(i).name()));
            compare(m, byName("-0", "-F", FIELDS.get(i % FIELDS.size()), sample.get(i).name()));
        }
        m.assertNone();
    }

    @Test
    void builtinModulesAliasesAndMissingNames() {
        Mismatches m = new Mismatches("modinfo of builtins, aliases, missing names");
        List<String> names = new ArrayList<>(List.of("md5", "crypto-md5", "fs-ext4", "ext4", "snd-hda-intel",
                "pci:v000010ECd00008139sv00001234sd00005678bc02sc00i00", "symbol:jbd2_journal_start", "nosuchmodule",
                "no-such-module", "pci:v0000FFFFd0000FFFFsv00000000sd00000000bc00sc00i00"));
        for (String s : Corpus.sample(60)) {
            if (!s.contains("modul\u00e9")) {
                names.add(s);
            }
        }
        try {
            for (String l : java.nio.file.Files.readAllLines(moduleDir().resolve("modules.builtin"))) {
                names.add(KernelTree.nameOf(l));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String n : names) {
            compare(m, byName(n));
        }
        compare(m, byName("-F", "alias", "md5"));
        compare(m, byName("-F", "filename", "md5"));
        compare(m, List.of(moduleDir().resolve("no/such/file.ko").toString()));
        m.assertNone();
    }

    @Test
    void severalModulesInOneCall() {
        Mismatches m = new Mismatches("modinfo NAME NAME...");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sample.size(); i += 8) {
            names.add(sample.get(i).name());
        }
        names.add(2, "nosuchmodule");
        compare(m, byName(names.toArray(String[]::new)));
        List<String> withField = new ArrayList<>(List.of("-F", "depends"));
        withField.addAll(names);
        compare(m, byName(withField.toArray(String[]::new)));
        m.assertNone();
    }

    private static void compare(Mismatches m, List<String> args) {
        List<String> kmodCmd = new ArrayList<>(List.of("modinfo"));
        kmodCmd.addAll(args);
        Proc.Result kmod = Proc.run(kmodCmd);
        List<String> ourArgs = new ArrayList<>(List.of("modinfo"));
        ourArgs.addAll(args);
        Cli.Result ours = Cli.run(ourArgs);
        m.check("modinfo " + String.join(" ", args), kmod, ours);
    }
}
