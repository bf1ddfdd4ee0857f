package org.autoprobe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small system under a directory, for the kernel commands' tests: 8139too and mii loaded (mii
 * held by 8139too) in {@code sys/module} and {@code proc/modules}, and a module tree
 * {@code root/lib/modules/6.1.0-t} with their indexes, ehci (not loaded) and builtin crc32c.
 */
final class TwoModuleSystem {
    static final String KVER = "6.1.0-t";

    private TwoModuleSystem() {
    }

    static void write(Path dir) throws IOException {
        loaded(dir, "8139too", 45056, 0);
        loaded(dir, "mii", 20480, 1, "8139too");
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/modules"), "8139too 45056 0 - Live 0x0000000000000000\n"
                + "mii 20480 1 8139too, Live 0x0000000000000000\n");
        Path moddir = Files.createDirectories(dir.resolve("root/lib/modules").resolve(KVER));
        TestTries.write(moddir.resolve("modules.dep.bin"), "mii", "kernel/mii.ko:", "8139too", "kernel/8139too.ko: kernel/mii.ko",
                "ehci", "kernel/ehci.ko:");
        TestTries.write(moddir.resolve("modules.alias.bin"));
        TestTries.write(moddir.resolve("modules.symbols.bin"));
        TestTries.write(moddir.resolve("modules.builtin.bin"), "crc32c", "");
    }

    private static void loaded(Path dir, String name, int size, int refcnt, String... holders) throws IOException {
        Path d = Files.createDirectories(dir.resolve("sys/module").resolve(name));
        Files.writeString(d.resolve("initstate"), "live\n");
        Files.writeString(d.resolve("refcnt"), refcnt + "\n");
        Files.writeString(d.resolve("coresize"), size + "\n");
        Files.createDirectories(d.resolve("holders"));
        for (String h : holders) {
            Files.createDirectories(d.resolve("holders").resolve(h));
        }
    }
}
