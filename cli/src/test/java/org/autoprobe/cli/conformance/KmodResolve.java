package org.autoprobe.cli.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference for {@code autoprobe resolve}: bench/src/main/c/kmod-resolve.c (libkmod's
 * kmod_module_new_from_lookup for each stdin line), compiled with gcc into target/ on first use.
 */
final class KmodResolve {
    private static Path binary;

    private KmodResolve() {
    }

    /** Runs kmod-resolve with {@code args} (-d ROOT, -S KVER, -C CONFIG) on {@code stdin}. */
    static Proc.Result run(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(List.of(args));
        return Proc.run(cmd, stdin, null).requireSuccess("kmod-resolve");
    }

    static synchronized Path binary() {
        if (binary == null) {
            Path src = source();
            Path out = Paths.get("target/kmod-resolve").toAbsolutePath();
            try {
                Files.createDirectories(out.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Proc.run(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE", "-o", out.toString(),
                    src.toString(), "-lkmod")).requireSuccess("compiling " + src + " (needs gcc and libkmod-dev)");
            binary = out;
        }
        return binary;
    }

    private static Path source() {
        String prop = System.getProperty("autoprobe.kmodResolveSource");
        List<Path> candidates = prop != null ? List.of(Paths.get(prop))
                : List.of(Paths.get("../bench/src/main/c/kmod-resolve.c"), Paths.get("bench/src/main/c/kmod-resolve.c"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("kmod-resolve.c not found at " + candidates + " (cwd "
                + Paths.get("").toAbsolutePath() + "); set -Dautoprobe.kmodResolveSource=PATH");
    }
}
