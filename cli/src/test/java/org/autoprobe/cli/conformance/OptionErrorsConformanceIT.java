package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Option errors of kmod's commands against the system's kmod: unknown long and short options,
 * clusters, missing arguments (short and long form), a value a flag does not take, abbreviated long
 * options, lsmod's usage line. Same exit code, same stdout, same stderr, byte for byte. A non-root
 * run or a machine without modules gives the same answers to both, since every case fails or
 * resolves nothing before touching the kernel.
 */
class OptionErrorsConformanceIT {
    private static final List<List<String>> CASES = List.of(
            List.of("modprobe", "--bogus"), List.of("modprobe", "-Z"), List.of("modprobe", "-nZ", "x"),
            List.of("modprobe", "-d"), List.of("modprobe", "--dirname"), List.of("modprobe", "-S"),
            List.of("modprobe", "--all=x", "y"), List.of("modprobe", "-a=x", "y"),
            List.of("modprobe", "--show-dep", "-S", "0.0-none", "x"), List.of("modprobe", "--verb", "-n", "-S", "0.0-none", "x"),
            List.of("modinfo", "--bogus"), List.of("modinfo", "-Z"), List.of("modinfo", "-F"), List.of("modinfo", "-k"),
            List.of("modinfo", "--fie", "name", "/nonexistent.ko"),
            List.of("depmod", "--bogus"), List.of("depmod", "-Z"), List.of("depmod", "-b"), List.of("depmod", "--basedir"),
            List.of("insmod", "--bogus=1"), List.of("insmod", "-Z"),
            List.of("rmmod", "--bogus"), List.of("rmmod", "-Z"), List.of("rmmod", "-w", "x"), List.of("rmmod", "-fw", "x"),
            List.of("rmmod", "--wait", "x"),
            List.of("lsmod", "foo"), List.of("lsmod", "-Z"), List.of("lsmod", "--bogus"));

    @Test
    void everyOptionErrorIsKmodsLineAndExitCode() {
        List<String> differ = new ArrayList<>();
        for (List<String> c : CASES) {
            Proc.Result kmod = Proc.run(c);
            Cli.Result ours = Cli.run(c);
            if (kmod.exit() != ours.exit() || !kmod.outText().equals(ours.outText()) || !kmod.err().equals(ours.err())) {
                differ.add(kmod.describe() + "\n  kmod stdout: " + kmod.outText() + "\n" + ours.describe()
                        + "\n  our stdout: " + ours.outText());
            }
        }
        assertEquals(List.of(), differ);
    }
}
