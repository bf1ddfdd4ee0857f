package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian 13's kernel (6.12, every module {@code .ko.xz}) against kmod 34.2 run in a Debian 13 root
 * (debootstrap, through e2e/scripts/debian13-system.sh; kmod 34 needs glibc 2.38, so it runs by
 * chroot): every index file {@code depmod} writes is byte-equal with {@code --kmod-layout 34}, and
 * {@code modprobe --show-depends} and {@code modinfo} give kmod 34's output for a sample of modules.
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
        Path script = Path.of("..", "e2e", "scripts", "debian13-system.sh").toAbsolutePath().normalize();
        Proc.Result prep = Proc.run(List.of(script.toString(), "root"));
        assertEquals(0, prep.exit(), prep.describe());
        Path root = null;
        for (String line : prep.outText().split("\n")) {
            if (line.startsWith("root=")) {
                root = Path.of(line.substring(5));
            } else if (line.startsWith("kver=")) {
                kver = line.substring(5);
            }
        }
        assertTrue(root != null && kver != null, prep.outText());
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

    @Test
    void showDependsAndModinfoGiveKmod34sOutputForASample() throws IOException {
        Path theirs = chroot.resolve("usr/lib/modules").resolve(kver);
        if (!Files.exists(theirs.resolve("modules.dep.bin"))) {
            assertEquals(0, Proc.run(List.of("chroot", chroot.toString(), "depmod", kver)).exit());
        }
        List<String> names = new ArrayList<>();
        try (Stream<String> lines = Files.lines(theirs.resolve("modules.order"))) {
            lines.forEach(l -> names.add(l.substring(l.lastIndexOf('/') + 1).replaceAll("\\.ko$", "")));
        }
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
}
