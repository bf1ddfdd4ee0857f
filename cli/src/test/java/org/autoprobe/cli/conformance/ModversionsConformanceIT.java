package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@code modprobe --dump-modversions FILE} and {@code --show-exports FILE} against kmod's on every
 * third module of the real tree (compressed or not, with and without exports), and on the files kmod
 * refuses: same exit code, stdout and stderr.
 */
class ModversionsConformanceIT {
    private static void same(String mode, String file, List<String> failures) {
        Proc.Result kmod = Proc.run(List.of("modprobe", mode, file));
        Cli.Result ours = Cli.run("modprobe", mode, file);
        if (kmod.exit() != ours.exit() || !java.util.Arrays.equals(kmod.out(), ours.out())
                || !kmod.err().equals(ours.err())) {
            failures.add(mode + " " + file + "\n  kmod: exit " + kmod.exit() + ", " + kmod.out().length + " bytes out, err: "
                    + kmod.err().strip() + "\n  ours: exit " + ours.exit() + ", " + ours.out().length + " bytes out, err: "
                    + ours.err().strip());
        }
    }

    @Test
    void everyThirdModuleOfTheTree() {
        KernelTree tree = KernelTree.get();
        Path dir = tree.moduleDir(tree.reference());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int withoutExports = 0;
        List<KernelTree.ModuleFile> modules = tree.modules();
        for (int i = 0; i < modules.size(); i += 3) {
            String file = dir.resolve(modules.get(i).relativePath()).toString();
            same("--dump-modversions", file, failures);
            same("--show-exports", file, failures);
            checked++;
            if (Proc.run(List.of("modprobe", "--show-exports", file)).exit() != 0) {
                withoutExports++;
            }
        }
        assertTrue(withoutExports > 0 && withoutExports < checked, "the sample should hold modules with and without exports: "
                + withoutExports + " of " + checked + " have none");
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + 2 * checked + " differ");
    }

    @Test
    void filesKmodRefuses() throws IOException {
        Path work = KernelTree.get().workDir();
        Path text = work.resolve("not-elf.ko");
        Files.writeString(text, "not an ELF file\n", StandardCharsets.US_ASCII);
        List<String> failures = new ArrayList<>();
        for (String mode : List.of("--dump-modversions", "--show-modversions", "--show-exports")) {
            same(mode, text.toString(), failures);
            same(mode, work.resolve("no-such-module.ko").toString(), failures);
        }
        assertEquals(List.of(), failures);
    }
}
