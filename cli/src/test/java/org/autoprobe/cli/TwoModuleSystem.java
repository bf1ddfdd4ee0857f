package org.autoprobe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.testing.SysTree;
import org.autoprobe.core.testing.TrieBytes;

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
        new SysTree(dir).loaded("8139too", "live", 45056, 0).loaded("mii", "live", 20480, 1, "8139too")
                .file("proc/modules", "8139too 45056 0 - Live 0x0000000000000000\n"
                        + "mii 20480 1 8139too, Live 0x0000000000000000\n");
        Path moddir = Files.createDirectories(dir.resolve("root/lib/modules").resolve(KVER));
        TrieBytes.write(moddir.resolve("modules.dep.bin"), "mii", "kernel/mii.ko:", "8139too", "kernel/8139too.ko: kernel/mii.ko",
                "ehci", "kernel/ehci.ko:");
        TrieBytes.write(moddir.resolve("modules.alias.bin"));
        TrieBytes.write(moddir.resolve("modules.symbols.bin"));
        TrieBytes.write(moddir.resolve("modules.builtin.bin"), "crc32c", "");
    }
}
