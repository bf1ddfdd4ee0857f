package org.autoprobe.core.root;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.autoprobe.core.text.RawText;

/**
 * The one place the system's paths are composed: the kernel's views ({@code /sys}, {@code /proc})
 * and the filesystem root the module trees live under ({@code <base>/lib/modules/<kver>}). Made
 * once at the top (the CLI's {@link #host()}, a test's {@link #under}) and passed in, so every path
 * can point at a fixture.
 *
 * <p>kmod's {@code -d ROOT} (modprobe), {@code -b ROOT} (depmod, modinfo) move only the module
 * tree: {@link #withBase}; {@code /sys} and {@code /proc} stay where they are.
 *
 * @param sys  the sysfs mount
 * @param proc the procfs mount
 * @param base the filesystem root {@code lib/modules} is under ({@code /} for the running system)
 */
public record SystemRoot(Path sys, Path proc, Path base) {
    private static final Path SLASH = Path.of("/");

    public SystemRoot {
        Objects.requireNonNull(sys, "sys");
        Objects.requireNonNull(proc, "proc");
        Objects.requireNonNull(base, "base");
    }

    /** The kernel's views and module tree at {@code sys} and {@code proc}, the module tree under {@code /}. */
    public SystemRoot(Path sys, Path proc) {
        this(sys, proc, SLASH);
    }

    /** The running system's: {@code /sys}, {@code /proc}, modules under {@code /}. */
    public static SystemRoot host() {
        return new SystemRoot(Path.of("/sys"), Path.of("/proc"), SLASH);
    }

    /** {@code ROOT/sys}, {@code ROOT/proc} and modules under {@code ROOT}: a fixture tree. */
    public static SystemRoot under(Path root) {
        return new SystemRoot(root.resolve("sys"), root.resolve("proc"), root);
    }

    /** This root with sysfs at {@code sys} (a {@code --sys DIR}). */
    public SystemRoot withSys(Path sys) {
        return new SystemRoot(sys, proc, base);
    }

    /** This root with the module tree under {@code base} (kmod's {@code -d}/{@code -b ROOT}), kept as spelled. */
    public SystemRoot withBase(Path base) {
        return new SystemRoot(sys, proc, base);
    }

    /** {@code <proc>/modules}. */
    public Path procModules() {
        return proc.resolve("modules");
    }

    /** {@code <sys>/module}. */
    public Path sysModule() {
        return sys.resolve("module");
    }

    /** {@code <proc>/cmdline}: the kernel command line kmod reads options and blacklists from. */
    public Path cmdline() {
        return proc.resolve("cmdline");
    }

    /** {@code <proc>/sys/kernel/osrelease}: the running kernel's release, as {@code uname -r} prints it. */
    public Path osReleaseFile() {
        return proc.resolve("sys/kernel/osrelease");
    }

    /**
     * The running kernel's release: {@link #osReleaseFile()} without the newline the kernel ends it
     * with. Read as all bytes kmod handles are ({@link RawText#decode}): valid UTF-8 as its
     * characters, so the release names the same {@code lib/modules} directory Java's UTF-8 file
     * names reach and prints as the bytes the kernel gave; any other byte kept as an escape rather
     * than replaced. (A release is ASCII in practice; ISO-8859-1 would turn a UTF-8 one into
     * another directory name, UTF-8 with replacement would lose bytes.)
     *
     * @throws IOException when the file cannot be read (no procfs, a fixture without it)
     */
    public String osRelease() throws IOException {
        String s = RawText.decode(Files.readAllBytes(osReleaseFile()));
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * {@code <base>/lib/modules/<kver>} spelled as kmod's tools spell it in their messages: the base
     * as given (not normalised, not made absolute), a base of {@code /} spelled as nothing (so the
     * running system's is {@code /lib/modules/<kver>}), then {@code /lib/modules/} and the release
     * as given. depmod makes its base absolute first: pass it so ({@link #withBase}).
     */
    public String modulesDirectoryName(String kernelVersion) {
        String b = base.toString();
        return (b.equals("/") ? "" : b) + "/lib/modules/" + kernelVersion;
    }

    /**
     * {@link #modulesDirectoryName} as a path, made absolute against the working directory as
     * libkmod does, unnormalised ({@code ..} kept).
     */
    public Path modulesDirectory(String kernelVersion) {
        return Path.of(modulesDirectoryName(kernelVersion)).toAbsolutePath();
    }
}
