package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package that {@code mvn package} makes ({@code packaging/target/autoprobe_VERSION_ARCH.deb},
 * jdeb), read with the system's {@code dpkg-deb}: its control fields and maintainer scripts, every
 * file where Debian expects it, the same jars as the build, and the launcher working from the
 * installed layout (unpacked into a directory): no build, its class data where it is told, the
 * same answers as the checkout's launcher. Installing it on a booted Debian system is the guest
 * test's part.
 */
class DebianPackageIT {
    private static final Path REPO = Path.of(System.getProperty("autoprobe.repo", "..")).toAbsolutePath().normalize();
    /** Runs the function bash's completion of autoprobe is registered with (in a script that sourced it). */
    private static final String COMPLETE = "$(complete -p autoprobe | sed -E 's/.* -F ([^ ]+) .*/\\1/')";
    private static Path deb;
    private static String version;

    @TempDir
    static Path root;

    private record Run(int code, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + List.of(command));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    @BeforeAll
    static void thePackage() throws Exception {
        try (Stream<Path> s = Files.list(REPO.resolve("packaging/target"))) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().endsWith(".deb")).toList();
            assertEquals(1, debs.size(), "one package in packaging/target: " + debs);
            deb = debs.get(0);
        }
        Run v = run("dpkg-deb", "-f", deb.toString(), "Version");
        assertEquals(0, v.code(), v.err());
        version = v.out().strip();
        Run x = run("dpkg-deb", "-x", deb.toString(), root.resolve("installed").toString());
        assertEquals(0, x.code(), x.err());
    }

    @Test
    void itsControlFieldsSayWhatItIsAndWhatItNeeds() throws Exception {
        Run f = run("dpkg-deb", "-f", deb.toString());
        assertEquals(0, f.code(), f.err());
        Map<String, String> fields = new TreeMap<>();
        for (String line : f.out().split("\n")) {
            int c = line.indexOf(": ");
            if (c > 0 && !line.startsWith(" ")) {
                fields.put(line.substring(0, c), line.substring(c + 2));
            }
        }
        assertEquals("autoprobe", fields.get("Package"));
        Run arch = run("dpkg", "--print-architecture");
        assertEquals(arch.out().strip(), fields.get("Architecture"), "the build machine's architecture (JNA's native part)");
        assertTrue(fields.get("Depends").contains("java17-runtime-headless"), fields.toString());
        assertTrue(deb.getFileName().toString().equals("autoprobe_" + version + "_" + fields.get("Architecture") + ".deb"),
                deb.toString());
        Path control = root.resolve("control");
        assertEquals(0, run("dpkg-deb", "-e", deb.toString(), control.toString()).code());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Run n = run("sh", "-n", control.resolve(script).toString());
            assertEquals(0, n.code(), script + ": " + n.err());
            assertTrue(Files.isExecutable(control.resolve(script)), script);
        }
        String postinst = Files.readString(control.resolve("postinst"));
        assertTrue(postinst.contains("--build-class-data daemon") && postinst.contains("--write-boot-plan /var/lib/autoprobe/boot-plan"),
                "the class data and the first boot plan are made at installation");
        assertTrue(Files.readString(control.resolve("triggers")).contains("interest-noawait /usr/lib/jvm"));
        assertTrue(Files.readString(control.resolve("postrm")).contains("rm -rf /var/cache/autoprobe /var/lib/autoprobe"),
                "purge leaves nothing");
    }

    @Test
    void everyFileIsWhereDebianExpectsItAndTheJarsAreTheBuilds() throws Exception {
        Run c = run("dpkg-deb", "-c", deb.toString());
        assertEquals(0, c.code(), c.err());
        List<String> files = new ArrayList<>();
        for (String line : c.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            String path = f[f.length - 1];
            assertTrue(f[1].equals("root/root"), "owned by root: " + line);
            assertTrue(f[3].equals("2026-01-01"), "the build's fixed time (reproducible): " + line);
            assertTrue(path.startsWith("./usr/"), "nothing outside /usr (state and cache are made at run time): " + line);
            if (!path.endsWith("/")) {
                files.add(path.substring(1));
                assertTrue(f[0].equals(path.equals("./usr/sbin/autoprobe") ? "-rwxr-xr-x" : "-rw-r--r--"), line);
            }
        }
        for (String want : List.of("/usr/sbin/autoprobe", "/usr/share/autoprobe/autoprobe-cli.jar",
                "/usr/lib/systemd/system/autoprobe.service", "/usr/lib/autoprobe/rules.d/80-autoprobe-drivers.rules",
                "/usr/share/doc/autoprobe/copyright")) {
            assertTrue(files.contains(want), want + " in " + files);
        }
        assertTrue(files.stream().anyMatch(p -> p.matches("/usr/lib/autoprobe/jna/linux-[^/]+/libjnidispatch\\.so")), files.toString());
        List<String> jars;
        try (Stream<Path> s = Files.list(REPO.resolve("cli/target/lib"))) {
            jars = s.map(p -> "/usr/share/autoprobe/lib/" + p.getFileName()).sorted().toList();
        }
        assertEquals(jars, files.stream().filter(p -> p.startsWith("/usr/share/autoprobe/lib/")).sorted().toList());
        Path installed = root.resolve("installed");
        assertEquals(-1, Files.mismatch(REPO.resolve("cli/target/autoprobe-cli.jar"),
                installed.resolve("usr/share/autoprobe/autoprobe-cli.jar")));
        String unit = Files.readString(installed.resolve("usr/lib/systemd/system/autoprobe.service"));
        assertTrue(unit.contains("\nExecStart=/usr/sbin/autoprobe daemon "), "the unit starts the packaged command");
    }

    @Test
    void theInstalledLauncherRunsWithoutABuildAndAnswersAsTheCheckouts() throws Exception {
        Path installed = root.resolve("installed");
        Path cds = root.resolve("cds");
        Map<String, String> env = Map.of("AUTOPROBE_CDS_DIR", cds.toString());
        Run v = run(env, installed.resolve("usr/sbin/autoprobe").toString(), "--version");
        assertEquals(0, v.code(), v.err());
        assertEquals("autoprobe version " + version, v.out().split("\n")[0], "the package's version");
        assertEquals("", v.err());
        // the same devices listed by both (this machine's own tree, or a note that it has none)
        Path sys = root.resolve("sys");
        Files.createDirectories(sys.resolve("devices/pci0000:00/0000:00:03.0"));
        Files.writeString(sys.resolve("devices/pci0000:00/0000:00:03.0/uevent"),
                "PCI_CLASS=20000\nMODALIAS=pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n", StandardCharsets.UTF_8);
        String[] args = {"devices", "--sys", sys.toString()};
        Run mine = run(env, concat(installed.resolve("usr/sbin/autoprobe").toString(), args));
        Run checkout = run(Map.of("AUTOPROBE_CDS_DIR", root.resolve("cds-checkout").toString()),
                concat(REPO.resolve("autoprobe").toString(), args));
        assertEquals(checkout, mine);
        assertTrue(mine.out().contains("pci:v00008086d0000100E"), mine.out());
        // its class data goes where it is told, and is used
        Run b = run(env, installed.resolve("usr/sbin/autoprobe").toString(), "--build-class-data", "devices");
        assertEquals(0, b.code(), b.out() + b.err());
        try (Stream<Path> s = Files.list(cds)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("autoprobe-devices\\.(jsa|aot)\\.stamp")),
                    "class data in " + cds);
        }
        assertEquals(checkout, run(env, concat(installed.resolve("usr/sbin/autoprobe").toString(), args)));
        assertFalse(Files.exists(installed.resolve("usr/sbin/cli")), "nothing built next to the command");
    }

    @Test
    void calledThroughALinkNamedAsAKmodCommandItIsThatCommand() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path command = root.resolve("installed/usr/sbin/autoprobe");
        Map<String, String> env = Map.of("AUTOPROBE_CDS_DIR", root.resolve("cds-links").toString());
        for (String kmod : List.of("modprobe", "modinfo", "depmod", "insmod", "rmmod", "lsmod")) {
            Path link = bin.resolve(kmod);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, command);
            Run viaLink = run(env, link.toString(), "--no-such-option");
            Run viaCommand = run(env, command.toString(), kmod, "--no-such-option");
            assertEquals(viaCommand, viaLink, kmod);
            assertEquals(1, viaLink.code(), kmod + ": " + viaLink);
            assertEquals(kmod.equals("lsmod") ? "Usage: lsmod\n" : kmod + ": unrecognized option '--no-such-option'\n",
                    viaLink.err(), "kmod's line for an unknown option");
        }
        Run other = run(env, bin.resolve("modprobe").toString(), "-n", "-S", "0.0-none", "x");
        assertEquals("modprobe: FATAL: Module x not found in directory /lib/modules/0.0-none\n", other.err());
    }

    @Test
    void itHasAManPageForEveryCommandAndCompletionsThatKnowThem() throws Exception {
        Path installed = root.resolve("installed");
        List<String> commands = List.of("modprobe", "modinfo", "depmod", "insmod", "rmmod", "lsmod", "resolve",
                "devices", "explain", "daemon", "coldplug", "monitor", "status", "compat");
        for (String c : commands) {
            Path page = installed.resolve("usr/share/man/man8/autoprobe-" + c + ".8.gz");
            Run z = run("zcat", page.toString());
            assertEquals(0, z.code(), page + ": " + z.err());
            assertTrue(z.out().contains(".TH \"AUTOPROBE\\-" + c.toUpperCase(java.util.Locale.ROOT) + "\" \"8\" \"\" \"autoprobe "
                    + version + "\""), page + " is a section-8 page of this version:\n" + z.out().lines().limit(12).toList());
            assertTrue(z.out().contains(".SH \"OPTIONS\""), page.toString());
        }
        assertTrue(Files.exists(installed.resolve("usr/share/man/man8/autoprobe.8.gz")));
        // bash completes the commands and a command's options from the generated script
        Path bash = installed.resolve("usr/share/bash-completion/completions/autoprobe");
        Run words = run("bash", "-c", "source '" + bash + "'; COMP_WORDS=(autoprobe mod); COMP_CWORD=1; COMP_LINE='autoprobe mod';"
                + " COMP_POINT=${#COMP_LINE}; " + COMPLETE + "; printf '%s\\n' \"${COMPREPLY[@]}\" | sort");
        assertEquals(0, words.code(), words.err());
        assertEquals(List.of("modinfo", "modprobe"), words.out().lines().map(String::strip).toList());
        Run options = run("bash", "-c", "source '" + bash + "'; COMP_WORDS=(autoprobe modprobe --show-d); COMP_CWORD=2;"
                + " COMP_LINE='autoprobe modprobe --show-d'; COMP_POINT=${#COMP_LINE}; " + COMPLETE + "; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertEquals(List.of("--show-depends"), options.out().lines().map(String::strip).toList(), options.err());
        String zsh = Files.readString(installed.resolve("usr/share/zsh/vendor-completions/_autoprobe"));
        Run function = run("bash", "-c", "source '" + bash + "'; complete -p autoprobe | sed -E 's/.* -F ([^ ]+) .*/\\1/'");
        assertTrue(zsh.startsWith("#compdef autoprobe\n") && zsh.contains("/usr/share/bash-completion/completions/autoprobe")
                && zsh.contains("_bash_complete -F " + function.out().strip() + " "), "zsh runs bash's completion function: " + zsh);
        // and zsh completes with it, as a user's interactive zsh does: compinit finds _autoprobe on fpath (its
        // bash script read from the unpacked package), then TAB after "autoprobe modp" and after "--show-d"
        Path fpath = Files.createDirectories(root.resolve("zsh-functions"));
        Files.writeString(fpath.resolve("_autoprobe"), zsh.replace("/usr/share/bash-completion/completions/autoprobe",
                bash.toString()));
        Path drive = root.resolve("complete.zsh");
        Files.writeString(drive, String.join("\n",
                "zmodload zsh/zpty || exit 2",
                "export TERM=xterm  # as in a terminal: zsh's line editor, and so its completion, needs one",
                "zpty z 'zsh -f -i'",
                "zpty -w z 'PS1=\"%% \"; fpath=(" + fpath + " $fpath); autoload -U compinit; compinit -u -D; print READY-$((6*7))'",
                "zpty -r z line '*READY-42*' || exit 3",
                "zpty -w -n z $'autoprobe modp\\t'",
                "sleep 2",
                "zpty -w -n z $'\\C-e --show-d\\t'",
                "sleep 2",
                "zpty -w -n z $'\\C-a echo LINE: \\C-m'",
                "out=",
                "for i in {1..100}; do",
                "  zpty -r -t z chunk && out+=$chunk",
                "  [[ $out == *LINE:*$'\\n'* ]] && break",
                "  sleep 0.1",
                "done",
                "zpty -d z",
                "[[ $out == *'not found'* ]] && print -r -- \"$out\" >&2",
                "cr=$'\\r'",
                "for l in \"${(@f)out}\"; do [[ $l == LINE:* ]] && print -r -- \"${l%$cr}\"; done",
                "exit 0",
                ""));
        Run completed = run("timeout", "60", "zsh", "-f", drive.toString());
        assertEquals(0, completed.code(), completed.err() + completed.out());
        assertEquals("", completed.err(), "zsh complained while completing");
        assertEquals("LINE: autoprobe modprobe --show-depends", completed.out().strip(),
                "what zsh's TAB made of 'autoprobe modp' and '--show-d'");
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
