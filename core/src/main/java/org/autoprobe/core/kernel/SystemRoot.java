package org.autoprobe.core.kernel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the kernel's views are mounted: {@code /sys} and {@code /proc}, or a fixture tree's.
 *
 * @param sys  the sysfs mount
 * @param proc the procfs mount
 */
public record SystemRoot(Path sys, Path proc) {
    public SystemRoot {
        Objects.requireNonNull(sys, "sys");
        Objects.requireNonNull(proc, "proc");
    }

    /** The running system's mounts. */
    public static SystemRoot host() {
        return new SystemRoot(Path.of("/sys"), Path.of("/proc"));
    }

    /** {@code ROOT/sys} and {@code ROOT/proc}: a fixture tree. */
    public static SystemRoot under(Path root) {
        return new SystemRoot(root.resolve("sys"), root.resolve("proc"));
    }

    /** {@code <proc>/modules}. */
    public Path procModules() {
        return proc.resolve("modules");
    }

    /** {@code <sys>/module}. */
    public Path sysModule() {
        return sys.resolve("module");
    }
}
