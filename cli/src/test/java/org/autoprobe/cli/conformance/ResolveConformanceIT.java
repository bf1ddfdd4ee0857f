package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code autoprobe resolve -d ROOT -S KVER [-C CONF] -} reads lookups on stdin and prints
 * {@code lookup<TAB>mod1 mod2} (each module once, libkmod's order) or {@code lookup<TAB>-}; the whole alias
 * corpus must come out exactly as libkmod's kmod_module_new_from_lookup gives it (bench/src/main/c/kmod-resolve.c).
 */
class ResolveConformanceIT {
    private final KernelTree tree = KernelTree.get();

    @Test
    void corpusWithTheSystemsConfiguration() {
        compare("resolve (system modprobe.d)", Corpus.entries(), List.of());
    }

    @Test
    void corpusWithoutConfiguration() {
        compare("resolve (-C empty dir)", Corpus.entries(), List.of("-C", tree.emptyConfigDir().toString()));
    }

    @Test
    void directivesOfTheConfigFixture() {
        Path conf = ModprobeConfigFixture.write(tree, "resolve-modprobe.d");
        List<String> lookups = new ArrayList<>(ModprobeConfigFixture.LOOKUPS);
        lookups.addAll(Corpus.sample(1500));
        compare("resolve (-C config fixture)", lookups, List.of("-C", conf.toString()));
    }

    @Test
    void aTreeThatIsNotThereIsFatalAsInKmod() {
        String nowhere = tree.workDir().resolve("no-such-root").toString();
        for (List<String> where : List.of(List.of("-d", nowhere, "-S", "1"),
                List.of("-d", tree.reference().toString(), "-S", "no-such-" + tree.kernelVersion()))) {
            List<String> kmodArgs = new ArrayList<>(List.of("modprobe"));
            kmodArgs.addAll(where);
            kmodArgs.addAll(List.of("-R", "pci:foo"));
            Proc.Result kmod = Proc.run(kmodArgs);
            List<String> ourArgs = new ArrayList<>(List.of("resolve"));
            ourArgs.addAll(where);
            ourArgs.add("pci:foo");
            Cli.Result ours = Cli.run(ourArgs);
            String context = "kmod " + kmod.describe() + "\nours " + ours.describe();
            assertEquals(1, kmod.exit(), context);
            assertEquals(kmod.exit(), ours.exit(), context);
            assertEquals(kmod.outText(), ours.outText(), context);
            assertEquals(kmod.err().replaceFirst("^modprobe: ", "resolve: "), ours.err(), context);
        }
    }

    private void compare(String what, List<String> lookups, List<String> configArgs) {
        List<String> args = new ArrayList<>(List.of("-d", tree.reference().toString(), "-S", tree.kernelVersion()));
        args.addAll(configArgs);
        byte[] input = AliasCorpus.joined(lookups);
        long t0 = System.nanoTime();
        Proc.Result kmod = KmodResolve.run(input, args.toArray(String[]::new));
        long t1 = System.nanoTime();
        List<String> ourArgs = new ArrayList<>(List.of("resolve"));
        ourArgs.addAll(args);
        ourArgs.add("-");
        Cli.Result ours = Cli.run(input, ourArgs.toArray(String[]::new));
        long t2 = System.nanoTime();
        System.out.printf("[conformance] %s: %d lookups, kmod %d ms, ours %d ms%n", what, lookups.size(),
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
        String context = "kmod " + kmod.describe() + "\nours " + ours.describe() + "\n(lookups: " + Corpus.file() + ")";
        assertEquals(0, ours.exit(), what + ": exit code\n" + context);
        Texts.assertSameBytes(what, kmod.out(), ours.out(), context);
    }
}
