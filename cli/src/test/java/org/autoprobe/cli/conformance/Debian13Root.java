package org.autoprobe.cli.conformance;

import java.nio.file.Path;
import java.util.List;

/**
 * Debian 13's root (debootstrap: kmod 34, the 6.12 kernel package, its index files written by kmod 34's depmod at
 * the package's installation), made or found in its cache by {@code e2e/scripts/debian13-system.sh root}. One per
 * JVM. Read it only: chroot into it to run kmod 34, or read its module tree; tests that write copy it first (as
 * {@link Kmod34ConformanceIT} does).
 *
 * @param root the root directory
 * @param kver its kernel's version
 */
record Debian13Root(Path root, String kver) {
    private static Debian13Root instance;

    static synchronized Debian13Root get() {
        if (instance == null) {
            Path script = Path.of("..", "e2e", "scripts", "debian13-system.sh").toAbsolutePath().normalize();
            Proc.Result prep = Proc.run(List.of(script.toString(), "root")).requireSuccess("debian13-system.sh root");
            Path root = null;
            String kver = null;
            for (String line : prep.outText().split("\n")) {
                if (line.startsWith("root=")) {
                    root = Path.of(line.substring(5));
                } else if (line.startsWith("kver=")) {
                    kver = line.substring(5);
                }
            }
            if (root == null || kver == null) {
                throw new IllegalStateException("debian13-system.sh root named no root= or kver=:\n" + prep.outText());
            }
            instance = new Debian13Root(root, kver);
        }
        return instance;
    }

    /** {@code root/usr/lib/modules/KVER}, with the package's index files. */
    Path moduleDir() {
        return root.resolve("usr/lib/modules").resolve(kver);
    }
}
