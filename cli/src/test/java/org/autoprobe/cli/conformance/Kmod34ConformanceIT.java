package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian 13's kernel (6.12, every module {@code .ko.xz}) against kmod 34.2 run in a Debian 13 root
 * (debootstrap, through e2e/scripts/debian13-system.sh; kmod 34 needs glibc 2.38, so it runs by
 * chroot): every index file {@code depmod} writes is byte-equal with {@code --kmod-layout 34};
 * {@code modprobe --show-depends} and {@code modinfo} give kmod 34's output for a sample of modules, and
 * {@code --show-depends} with no configuration and with the modprobe.d fixture (kmod 34's {@code weakdep}
 * lines too); {@code resolve} answers the whole alias corpus of the tree as libkmod 34 does (with the root's
 * modprobe.d, none, and the fixture); {@code modprobe -c} dumps as kmod 34's; {@code modinfo} of built-in
 * modules ({@code modules.builtin.modinfo}) is kmod 34's.
 * The root is hard-linked into a work directory beside the cache, so that the cached root is never
 * written to.
 */
class Kmod34ConformanceIT {
    private static final List<String> FILES = List.of("modules.dep", "modules.dep.bin", "modules.alias",
            "modules.alias.bin", "modules.softdep", "modules.weakdep", "modules.symbols", "modules.symbols.bin",
            "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname");
    private static Path work;
    private static Path chroot;
    private static String kver;
    private static Path ours;
    private static Path emptyConfig;

    @BeforeAll
    static void debian13() throws IOException {
        Debian13Root debian13 = Debian13Root.get();
        Path root = debian13.root();
        kver = debian13.kver();
        work = root.getParent().resolveSibling("debian13-conformance");
        assertEquals(0, Proc.run(List.of("rm", "-rf", work.toString())).exit());
        Files.createDirectories(work);
        chroot = work.resolve("root");
        Proc.Result cp = Proc.run(List.of("cp", "-al", root.toString(), chroot.toString()));
        assertEquals(0, cp.exit(), cp.describe());
        Path modules = chroot.resolve("usr/lib/modules").resolve(kver);
        for (String f : FILES) {
            Files.deleteIfExists(modules.resolve(f)); // the package's, made at its installation
        }
        ours = work.resolve("ours");
        Files.createDirectories(ours.resolve("lib/modules"));
        Proc.Result cp2 = Proc.run(List.of("cp", "-al", modules.toString(), ours.resolve("lib/modules").toString()));
        assertEquals(0, cp2.exit(), cp2.describe());
        emptyConfig = Files.createDirectories(work.resolve("empty-depmod.d"));
        // kmod reads the kernel command line's module options (modprobe -c prints them, a lookup applies them)
        // from /proc/cmdline, which the chroot has no proc for: this machine's, as ours reads it
        Files.createDirectories(chroot.resolve("proc"));
        Files.write(chroot.resolve("proc/cmdline"), Files.readAllBytes(Path.of("/proc/cmdline")));
    }

    @Test
    void depmodWritesKmod34sFilesByteForByte() throws IOException {
        Proc.Result v = Proc.run(List.of("chroot", chroot.toString(), "kmod", "--version"));
        assertTrue(v.outText().startsWith("kmod version 34"), v.describe() + v.outText());
        long t0 = System.nanoTime();
        Proc.Result kmod = Proc.run(List.of("chroot", chroot.toString(), "depmod", kver));
        long kmodMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, kmod.exit(), kmod.describe());
        t0 = System.nanoTime();
        Cli.Result mine = Cli.run("depmod", "--kmod-layout", "34", "-C", emptyConfig.toString(), "-b", ours.toString(), kver);
        long oursMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, mine.exit(), mine.describe());
        assertEquals(kmod.err(), mine.err(), "the same messages");
        List<String> differ = new ArrayList<>();
        Path theirs = chroot.resolve("usr/lib/modules").resolve(kver);
        Path mineDir = ours.resolve("lib/modules").resolve(kver);
        for (String f : FILES) {
            if (Files.mismatch(theirs.resolve(f), mineDir.resolve(f)) != -1) {
                differ.add(f);
            }
        }
        assertEquals(List.of(), differ, "files not byte-equal to kmod 34's");
        long modules;
        try (Stream<Path> s = Files.walk(mineDir)) {
            modules = s.filter(p -> p.toString().endsWith(".ko.xz")).count();
        }
        System.out.println("[kmod34] depmod of " + modules + " .ko.xz modules (" + kver + "): kmod 34.2 " + kmodMs
                + " ms (chroot), ours " + oursMs + " ms (in process); every index file byte-equal");
    }

    /** The root's modprobe.d directories, as kmod 34 reads them there, for our -C. */
    private static List<String> chrootConfig() {
        List<String> args = new ArrayList<>();
        for (String d : List.of("etc/modprobe.d", "run/modprobe.d", "usr/local/lib/modprobe.d", "usr/lib/modprobe.d")) {
            if (Files.isDirectory(chroot.resolve(d))) {
                args.add("-C");
                args.add(chroot.resolve(d).toString());
            }
        }
        if (args.isEmpty()) {
            args.addAll(List.of("-C", emptyConfig.toString()));
        }
        return args;
    }

    /** The root's module directory, with kmod 34's index files in it (its depmod run now when they are not). */
    private static synchronized Path kmodIndexed() {
        Path theirs = chroot.resolve("usr/lib/modules").resolve(kver);
        if (!Files.exists(theirs.resolve("modules.dep.bin"))) {
            assertEquals(0, Proc.run(List.of("chroot", chroot.toString(), "depmod", kver)).exit());
        }
        return theirs;
    }

    /** The tree's module names, in modules.order's order (written with '_', as the index has them). */
    private static List<String> moduleNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<String> lines = Files.lines(kmodIndexed().resolve("modules.order"))) {
            lines.forEach(l -> names.add(l.substring(l.lastIndexOf('/') + 1).replaceAll("\\.ko$", "")));
        }
        return names;
    }

    @Test
    void showDependsAndModinfoGiveKmod34sOutputForASample() throws IOException {
        List<String> names = moduleNames();
        List<String> differ = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < names.size(); i += 37) {
            String name = names.get(i);
            Proc.Result k = Proc.run(List.of("chroot", chroot.toString(), "modprobe", "-S", kver, "--show-depends", name));
            List<String> args = new ArrayList<>(List.of("modprobe", "-d", chroot.toString(), "-S", kver));
            args.addAll(chrootConfig());
            args.addAll(List.of("--show-depends", name));
            Cli.Result m = Cli.run(args);
            String mineOut = m.outText().replace(chroot.toString(), "");
            if (k.exit() != m.exit() || !k.outText().equals(mineOut)) {
                differ.add("--show-depends " + name + ":\n kmod: " + k.outText() + " ours: " + mineOut);
            }
            Proc.Result ki = Proc.run(List.of("chroot", chroot.toString(), "modinfo", "-k", kver, name));
            Cli.Result mi = Cli.run("modinfo", "-b", chroot.toString(), "-k", kver, name);
            String mineInfo = mi.outText().replace(chroot.toString(), "");
            if (ki.exit() != mi.exit() || !ki.outText().equals(mineInfo)) {
                differ.add("modinfo " + name + ":\n kmod: " + ki.outText() + " ours: " + mineInfo);
            }
            compared++;
        }
        assertTrue(compared > 100, "compared " + compared);
        assertEquals(List.of(), differ);
        System.out.println("[kmod34] --show-depends and modinfo of " + compared + " modules: equal to kmod 34.2's");
    }

    /** The config fixture (with kmod 34's weakdep lines) in the root, where kmod reads it as /CONF. */
    private static synchronized String fixture() throws IOException {
        Path dir = chroot.resolve("tmp/autoprobe-modprobe.d");
        if (!Files.isDirectory(dir)) {
            Set<String> have = new HashSet<>();
            moduleNames().forEach(n -> have.add(n.replace('-', '_')));
            ModprobeConfigFixture.write(have, "Debian 13's kernel " + kver, dir, true);
        }
        return "/tmp/autoprobe-modprobe.d";
    }

    /** An empty modprobe.d in the root (no configuration at all), as kmod reads it. */
    private static synchronized String empty() throws IOException {
        Files.createDirectories(chroot.resolve("tmp/autoprobe-empty.d"));
        return "/tmp/autoprobe-empty.d";
    }

    /**
     * kmod 34's modprobe by chroot and ours with {@code -d ROOT}, both with {@code -S KVER}, {@code config}
     * (paths in the root: null for the root's own modprobe.d directories) and {@code args}; stdout (ours with
     * the root's path taken out) and exit code compared.
     */
    private static void compareModprobe(Mismatches m, String label, String config, List<String> args) {
        List<String> kmodCmd = new ArrayList<>(List.of("chroot", chroot.toString(), "modprobe", "-S", kver));
        List<String> ourArgs = new ArrayList<>(List.of("modprobe", "-d", chroot.toString(), "-S", kver));
        if (config == null) {
            ourArgs.addAll(chrootConfig());
        } else {
            kmodCmd.addAll(List.of("-C", config));
            ourArgs.addAll(List.of("-C", chroot + config));
        }
        kmodCmd.addAll(args);
        ourArgs.addAll(args);
        Proc.Result kmod = Proc.run(kmodCmd);
        Cli.Result ours = Cli.run(ourArgs);
        byte[] out = new String(ours.out(), StandardCharsets.ISO_8859_1).replace(chroot.toString(), "")
                .getBytes(StandardCharsets.ISO_8859_1);
        m.check(label, kmod.exit(), kmod.out(), ours.exit(), out, "kmod " + kmod.describe() + "\nours " + ours.describe());
    }

    @Test
    void aliasAnswersAreKmod34s() throws IOException {
        Path dir = kmodIndexed();
        List<String> corpus = AliasCorpus.generate(dir, AliasCorpus.DEFAULT_SEED);
        // the reference: libkmod's lookup, by kmod 34's libkmod in the root (bench/src/main/c/kmod-resolve.c,
        // built here against this machine's libkmod: the calls it makes are the same in kmod 30 and 34)
        Path resolver = chroot.resolve("tmp/kmod-resolve");
        Files.copy(KmodResolve.binary(), resolver, StandardCopyOption.REPLACE_EXISTING);
        List<String> fixtureLookups = new ArrayList<>(ModprobeConfigFixture.LOOKUPS);
        for (int i = 0; i < corpus.size(); i += Math.max(1, corpus.size() / 1500)) {
            fixtureLookups.add(corpus.get(i));
        }
        record Case(String label, List<String> lookups, String config) { }
        List<String> problems = new ArrayList<>();
        for (Case c : List.of(new Case("the root's modprobe.d", corpus, null), new Case("no configuration", corpus, empty()),
                new Case("the config fixture", fixtureLookups, fixture()))) {
            byte[] input = AliasCorpus.joined(c.lookups());
            List<String> kmodCmd = new ArrayList<>(List.of("chroot", chroot.toString(), "/tmp/kmod-resolve", "-S", kver));
            List<String> ourArgs = new ArrayList<>(List.of("resolve", "-d", chroot.toString(), "-S", kver));
            if (c.config() == null) {
                ourArgs.addAll(chrootConfig());
            } else {
                kmodCmd.addAll(List.of("-C", c.config()));
                ourArgs.addAll(List.of("-C", chroot + c.config()));
            }
            ourArgs.add("-");
            long t0 = System.nanoTime();
            Proc.Result kmod = Proc.run(kmodCmd, input, null).requireSuccess("kmod-resolve in the Debian 13 root");
            long t1 = System.nanoTime();
            Cli.Result ours = Cli.run(input, ourArgs.toArray(String[]::new));
            long t2 = System.nanoTime();
            System.out.printf("[kmod34] resolve, %s: %d lookups, kmod 34.2 %d ms, ours %d ms%n", c.label(),
                    c.lookups().size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            if (ours.exit() != 0 || !Arrays.equals(kmod.out(), ours.out())) {
                problems.add(c.label() + ": exit " + ours.exit() + "\n" + Texts.explain("resolve", kmod.out(), ours.out()));
            }
        }
        assertTrue(corpus.size() > 5_000, "corpus of " + corpus.size());
        assertEquals(List.of(), problems);
    }

    @Test
    void showDependsWithAndWithoutConfigurationIsKmod34s() throws IOException {
        List<String> names = moduleNames();
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 7) {
            sample.add(names.get(i));
        }
        Mismatches m = new Mismatches("kmod 34: modprobe --show-depends");
        List<String> args = new ArrayList<>(List.of("-a", "--show-depends"));
        args.addAll(sample);
        compareModprobe(m, "--show-depends of " + sample.size() + " modules, no configuration", empty(), args);
        args = new ArrayList<>(List.of("-a", "--show-depends"));
        args.addAll(ModprobeConfigFixture.LOOKUPS);
        args.addAll(ModprobeConfigFixture.MODULES);
        args.addAll(sample);
        compareModprobe(m, "--show-depends of the fixture's lookups and modules and " + sample.size() + " modules,"
                + " config fixture (weakdep lines too)", fixture(), args);
        for (List<String> c : List.of(List.of("--show-depends", "e1000e"), List.of("--show-depends", "snd-hda-intel"),
                List.of("--show-depends", "xfs"), List.of("--show-depends", "ext4"), List.of("-R", "my-nic"),
                List.of("--show-depends", "dummy", "numdummies=5"))) {
            compareModprobe(m, String.join(" ", c) + ", config fixture", fixture(), c);
        }
        m.assertNone();
    }

    @Test
    void dumpConfigurationIsKmod34s() throws IOException {
        Mismatches m = new Mismatches("kmod 34: modprobe -c");
        compareModprobe(m, "-c, config fixture (weakdep lines too)", fixture(), List.of("-c"));
        compareModprobe(m, "-c, no configuration", empty(), List.of("-c"));
        compareModprobe(m, "-c, the root's modprobe.d", null, List.of("-c"));
        m.assertNone();
    }

    @Test
    void modinfoOfBuiltinModulesIsKmod34s() throws IOException {
        // modules.builtin.modinfo: NUL-separated "module.key=value"; every 5th module named there
        byte[] raw = Files.readAllBytes(kmodIndexed().resolve("modules.builtin.modinfo"));
        Set<String> builtin = new LinkedHashSet<>();
        for (String entry : new String(raw, StandardCharsets.ISO_8859_1).split("\0")) {
            int dot = entry.indexOf('.');
            if (dot > 0) {
                builtin.add(entry.substring(0, dot));
            }
        }
        List<String> names = new ArrayList<>(builtin);
        Mismatches m = new Mismatches("kmod 34: modinfo of built-in modules");
        int compared = 0;
        for (int i = 0; i < names.size(); i += 5) {
            String name = names.get(i);
            Proc.Result k = Proc.run(List.of("chroot", chroot.toString(), "modinfo", "-k", kver, name));
            Cli.Result mi = Cli.run("modinfo", "-b", chroot.toString(), "-k", kver, name);
            m.check("modinfo " + name, k, mi);
            compared++;
        }
        for (String field : List.of("license", "description", "filename")) {
            Proc.Result k = Proc.run(List.of("chroot", chroot.toString(), "modinfo", "-k", kver, "-F", field, names.get(0)));
            Cli.Result mi = Cli.run("modinfo", "-b", chroot.toString(), "-k", kver, "-F", field, names.get(0));
            m.check("modinfo -F " + field + " " + names.get(0), k, mi);
        }
        System.out.println("[kmod34] modinfo of " + compared + " of " + names.size() + " built-in modules compared");
        assertTrue(compared > 20, "compared " + compared);
        m.assertNone();
    }
}
