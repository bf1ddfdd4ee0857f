package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import picocli.CommandLine;

/**
 * {@link ResolveCommand#fastPath} must configure the command exactly as picocli does from the same
 * arguments, and hand everything it does not understand to picocli.
 */
class ResolveFastPathTest {
    /** Tokens a command line is made of: options, values, aliases, and forms the fast path must refuse. */
    private static final List<String> TOKENS = List.of(
            "-d", "--dirname", "--dirname=/r", "-S", "--set-version", "--set-version=6.1", "-C", "--config",
            "--config=/etc/x.conf", "-b", "--use-blacklist", "--threads", "--threads=3", "--threads=0", "--threads=x",
            "--", "-", "/tmp/root", "6.1.0-13-amd64", "pci:v00008086d*", "usb:v1234p5678d0100dc00",
            "a=b", "", "4", "0", "-x", "-bd", "-d/r", "-h", "--help", "-V", "@args", "--nope", "--threads=+2", "007");

    @Provide
    Arbitrary<List<String>> argv() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(9);
    }

    @Property(tries = 3000)
    void agreesWithPicocliWheneverItTakesTheArguments(@ForAll("argv") List<String> args) {
        List<String> full = new ArrayList<>(List.of("resolve"));
        full.addAll(args);
        ResolveCommand fast = ResolveCommand.fastPath(full.toArray(String[]::new));
        if (fast == null) {
            return; // picocli's own path
        }
        ResolveCommand picked = new ResolveCommand();
        new CommandLine(picked).parseArgs(args.toArray(String[]::new)); // must not fail where the fast path did not
        assertEquals(describe(picked), describe(fast), String.join(" ", args));
    }

    private static String describe(ResolveCommand c) {
        return Arrays.asList(c.tree.root, c.tree.kernelVersion, c.tree.configs, c.useBlacklist, c.threads, c.aliases)
                .toString();
    }

    @Example
    void takesThePlainForms() {
        ResolveCommand c = ResolveCommand.fastPath(new String[] {"resolve", "-d", "/tmp/r", "--set-version=6.1",
            "-C", "/a.conf", "--config", "/b.conf", "-b", "--threads", "3", "-", "pci:x"});
        assertNotNull(c);
        assertEquals("[/tmp/r, 6.1, [/a.conf, /b.conf], true, 3, [-, pci:x]]", describe(c));
    }

    @Example
    void leavesHelpErrorsAndUnusualFormsToPicocli() {
        for (String[] args : new String[][] {
            {"resolve"}, {"resolve", "-h"}, {"resolve", "--version"}, {"resolve", "-d", "/r"},
            {"resolve", "-d", "/r", "-d", "/s", "x"}, {"resolve", "-b", "-b", "x"}, {"resolve", "-dr", "x"},
            {"resolve", "@file"}, {"resolve", "--threads", "0", "x"}, {"resolve", "-S", "-b", "x"},
            {"resolve", "-x"}, {"modprobe", "x"}}) {
            assertNull(ResolveCommand.fastPath(args), String.join(" ", args));
        }
    }
}
