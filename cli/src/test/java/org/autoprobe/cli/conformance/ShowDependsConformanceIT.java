package org.autoprobe.cli.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code autoprobe modprobe} against kmod's modprobe on the reference tree: {@code --show-depends} for every
 * module, without configuration and with the modprobe.d fixture (every directive), {@code -R} with the fixture,
 * and the {@code -c} dump. Same arguments to both; stdout and exit code must be equal.
 */
class ShowDependsConformanceIT {
    private static KernelTree tree;
    private static Path conf;
    private static List<String> allModules;

    @BeforeAll
    static void setUp() {
        tree = KernelTree.get();
        conf = ModprobeConfigFixture.write(tree, "showdepends-modprobe.d");
        allModules = new ArrayList<>();
        tree.modules().forEach(m -> allModules.add(m.name()));
    }

    @Test
    void showDependsOfEveryModuleWithoutConfiguration() {
        Mismatches m = new Mismatches("modprobe --show-depends, no configuration");
        List<String> args = new ArrayList<>(List.of("-a", "--show-depends"));
        args.addAll(allModules);
        compare(m, "--show-depends of all " + allModules.size() + " modules", tree.emptyConfigDir(), args);
        m.assertNone();
    }

    @Test
    void showDependsOfEveryModuleWithTheConfigFixture() {
        Mismatches m = new Mismatches("modprobe --show-depends, config fixture");
        List<String> args = new ArrayList<>(List.of("-a", "--show-depends"));
        args.addAll(ModprobeConfigFixture.LOOKUPS);
        args.addAll(allModules);
        compare(m, "--show-depends of the fixture's lookups and all modules", conf, args);
        m.assertNone();
    }

    @Test
    void showDependsOfDeviceAliasesWithTheConfigFixture() {
        Mismatches m = new Mismatches("modprobe --show-depends of aliases, config fixture");
        List<String> args = new ArrayList<>(List.of("-a", "--show-depends"));
        args.addAll(Corpus.sample(1500));
        compare(m, "--show-depends of 1500 corpus lookups", conf, args);
        m.assertNone();
    }

    @Test
    void singleModulesWithCommandLineOptions() {
        Mismatches m = new Mismatches("modprobe --show-depends NAME OPTIONS..., config fixture");
        List<List<String>> cases = List.of(
                List.of("--show-depends", "dummy", "numdummies=5", "extra=\"a b\""),
                List.of("--show-depends", "my-nic", "copybreak=256"),
                List.of("--show-depends", "my_netcard", "debug=1"),
                List.of("--show-depends", "myfakecmd", "x=1", "y"),
                List.of("--show-depends", "ext4", "journal=1"),
                List.of("--show-depends", "vfat", "codepage=437"),
                List.of("--show-depends", "snd_hda_intel", "enable=1"),
                List.of("--show-depends", "mysound"),
                List.of("--show-depends", "myfs"),
                List.of("--show-depends", "ghost"),
                List.of("--show-depends", "nosuchmodule"),
                List.of("--show-depends", "8139too"),
                List.of("--show-depends", "-b", "8139too"),
                List.of("--show-depends", "-b", "floppy"),
                List.of("--show-depends", "pci:v000010ECd00008139sv00001234sd00005678bc02sc00i00"),
                List.of("--show-depends", "--ignore-install", "dummy", "numdummies=1"),
                List.of("--show-depends", "-i", "pcspkr"),
                List.of("--show-depends", "uhci-hcd"),
                List.of("--show-depends", "xfs"),
                List.of("--show-depends", "loop"),
                List.of("--show-depends", "storage-c"),
                List.of("-R", "storage-c"),
                List.of("-R", "ghost"),
                List.of("-R", "-b", "8139too"),
                List.of("-R", "nosuchmodule"));
        for (List<String> c : cases) {
            compare(m, String.join(" ", c), conf, c);
        }
        m.assertNone();
    }

    @Test
    void resolveAliasWithTheConfigFixture() {
        Mismatches m = new Mismatches("modprobe -R, config fixture");
        List<String> args = new ArrayList<>(List.of("-a", "-R"));
        args.addAll(ModprobeConfigFixture.LOOKUPS);
        args.addAll(Corpus.sample(1500));
        compare(m, "-R of the fixture's lookups and 1500 corpus lookups", conf, args);
        m.assertNone();
    }

    @Test
    void dumpConfigurationWithTheConfigFixture() {
        Mismatches m = new Mismatches("modprobe -c");
        compare(m, "-c with the config fixture", conf, List.of("-c"));
        compare(m, "-c without configuration", tree.emptyConfigDir(), List.of("-c"));
        m.assertNone();
    }

    /** Runs kmod's modprobe and ours with {@code -d REF -S KVER -C CONF} followed by {@code args}. */
    private static void compare(Mismatches m, String label, Path config, List<String> args) {
        List<String> common = new ArrayList<>(List.of("-d", tree.reference().toString(), "-S", tree.kernelVersion(),
                "-C", config.toString()));
        common.addAll(args);
        List<String> kmodCmd = new ArrayList<>(List.of("modprobe"));
        kmodCmd.addAll(common);
        long t0 = System.nanoTime();
        Proc.Result kmod = Proc.run(kmodCmd);
        long t1 = System.nanoTime();
        List<String> ourArgs = new ArrayList<>(List.of("modprobe"));
        ourArgs.addAll(common);
        Cli.Result ours = Cli.run(ourArgs);
        long t2 = System.nanoTime();
        if (args.size() > 50) {
            System.out.printf("[conformance] modprobe %s: kmod %d ms, ours %d ms%n", label, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000);
        }
        m.check(label, kmod, ours);
    }
}
