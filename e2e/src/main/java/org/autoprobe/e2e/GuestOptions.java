package org.autoprobe.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to boot a guest.
 *
 * @param repo           the project's checkout (the guest sees it at the same path); its
 *                       {@code e2e/scripts/guest.sh} boots the guest and its {@code ./autoprobe} is the launcher
 * @param workDir        where each guest gets its out directory (requests, results, serial log)
 * @param kernelArgs     extra kernel command line words (e.g. {@code modprobe.blacklist=dummy})
 * @param qemuArgs       extra QEMU arguments (e.g. {@code -device rtl8139})
 * @param accel          {@code kvm} or {@code tcg}; empty lets guest.sh choose (KVM only when it works)
 * @param memoryMb       guest memory
 * @param cpus           guest CPUs
 * @param bootTimeout    from starting QEMU to the guest's init being ready (includes preparing the
 *                       kernel, module tree and initramfs the first time)
 * @param commandTimeout default limit for one script
 * @param buildLauncher  build the project ({@code mvn -DskipTests package}) first when the launcher's jar is missing
 * @param stateDir       a host directory that outlives the guest: the guest's {@code /var/lib/autoprobe} and
 *                       {@code /var/cache/autoprobe} are its {@code lib} and {@code cache} subdirectories
 *                       (made when missing); empty: both are in the guest's throw-away overlay
 *                       ({@link Kind#HOST_ROOT} only)
 * @param kind           which guest: this machine's root under Debian's current kernel, or a real Debian 13 system
 * @param disk           the Debian 13 system guest's disk overlay, kept from boot to boot (made on first use);
 *                       empty: a fresh overlay of the pristine image at every boot ({@link Kind#DEBIAN13_SYSTEM} only)
 */
public record GuestOptions(Path repo, Path workDir, List<String> kernelArgs, List<String> qemuArgs,
        Optional<String> accel, int memoryMb, int cpus, Duration bootTimeout, Duration commandTimeout,
        boolean buildLauncher, Optional<Path> stateDir, Kind kind, Optional<Path> disk) {

    /** Which guest {@link Guest#boot} starts, and the script in {@code e2e/scripts} that boots it. */
    public enum Kind {
        /**
         * {@code guest.sh}: Debian's current kernel, a busybox initramfs as init, this machine's root read-only
         * over 9p under a tmpfs overlay (bash, the JDK, kmod and this checkout at its own path); scripts run
         * chrooted into it.
         */
        HOST_ROOT("guest.sh", Duration.ofSeconds(30)),
        /**
         * {@code debian13-system.sh}: a Debian 13 root made by debootstrap, booted from its own ext4 disk with
         * Debian 13's kernel and initramfs and systemd as PID 1; scripts run on that system (no checkout
         * there: the out directory, {@code /e2e} in the guest, is the way in).
         */
        DEBIAN13_SYSTEM("debian13-system.sh", Duration.ofSeconds(120));

        private final String script;
        private final Duration shutdownTimeout;

        Kind(String script, Duration shutdownTimeout) {
            this.script = script;
            this.shutdownTimeout = shutdownTimeout;
        }

        /** The boot script's file name in {@code e2e/scripts}. */
        public String script() {
            return script;
        }

        /** How long {@link Guest#close} waits for the guest to power off before it kills QEMU. */
        public Duration shutdownTimeout() {
            return shutdownTimeout;
        }
    }

    public GuestOptions {
        repo = repo.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        kernelArgs = List.copyOf(kernelArgs);
        qemuArgs = List.copyOf(qemuArgs);
        stateDir = stateDir.map(p -> p.toAbsolutePath().normalize());
        disk = disk.map(p -> p.toAbsolutePath().normalize());
        Objects.requireNonNull(kind, "kind");
        if (memoryMb < 256 || cpus < 1) {
            throw new IllegalArgumentException("memoryMb must be at least 256 and cpus at least 1");
        }
        if (stateDir.isPresent() && kind != Kind.HOST_ROOT) {
            throw new IllegalArgumentException("a state directory is for the host-root guest; the " + kind
                    + " guest keeps its state on its disk (withPersistentDisk)");
        }
        if (disk.isPresent() && kind != Kind.DEBIAN13_SYSTEM) {
            throw new IllegalArgumentException("a persistent disk is for the Debian 13 system guest, not " + kind);
        }
    }

    /**
     * The defaults: the repository from the system property {@code autoprobe.repo} (the e2e pom sets it)
     * or the nearest directory above the current one holding {@code autoprobe} and {@code pom.xml};
     * {@code target/guests} under the current directory; accel from {@code AUTOPROBE_E2E_ACCEL};
     * 2 GiB, 2 CPUs; 5 minutes to boot; 10 minutes per script.
     */
    public static GuestOptions defaults() {
        return new GuestOptions(findRepo(), Path.of("target", "guests"), List.of(), List.of(),
                Optional.ofNullable(System.getenv("AUTOPROBE_E2E_ACCEL")).filter(s -> !s.isBlank()),
                2048, 2, Duration.ofMinutes(5), Duration.ofMinutes(10), true, Optional.empty(), Kind.HOST_ROOT,
                Optional.empty());
    }

    /**
     * A real Debian 13 system ({@link Kind#DEBIAN13_SYSTEM}): otherwise {@link #defaults()}, but 10 minutes
     * to boot (systemd under TCG; the image is prepared before the clock starts) and no launcher built (the
     * guest does not see this checkout). Every boot starts from the pristine image unless
     * {@link #withPersistentDisk} names a disk to keep.
     */
    public static GuestOptions debian13System() {
        GuestOptions d = defaults();
        return new GuestOptions(d.repo, d.workDir, d.kernelArgs, d.qemuArgs, d.accel, d.memoryMb, d.cpus,
                Duration.ofMinutes(10), d.commandTimeout, false, Optional.empty(), Kind.DEBIAN13_SYSTEM,
                Optional.empty());
    }

    public GuestOptions withKernelArgs(String... args) {
        return new GuestOptions(repo, workDir, List.of(args), qemuArgs, accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir, kind, disk);
    }

    public GuestOptions withQemuArgs(String... args) {
        return new GuestOptions(repo, workDir, kernelArgs, List.of(args), accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir, kind, disk);
    }

    public GuestOptions withAccel(String newAccel) {
        return new GuestOptions(repo, workDir, kernelArgs, qemuArgs, Optional.of(newAccel), memoryMb, cpus,
                bootTimeout, commandTimeout, buildLauncher, stateDir, kind, disk);
    }

    public GuestOptions withWorkDir(Path dir) {
        return new GuestOptions(repo, dir, kernelArgs, qemuArgs, accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir, kind, disk);
    }

    public GuestOptions withCommandTimeout(Duration timeout) {
        return new GuestOptions(repo, workDir, kernelArgs, qemuArgs, accel, memoryMb, cpus, bootTimeout,
                timeout, buildLauncher, stateDir, kind, disk);
    }

    /**
     * Keeps the guest's {@code /var/lib/autoprobe} (the daemon's boot plan) and {@code /var/cache/autoprobe}
     * (the launcher's class-data archives when {@code AUTOPROBE_CDS_DIR} points there) in {@code dir}'s
     * {@code lib} and {@code cache}, from one guest to the next, as an installed system keeps them from
     * boot to boot. The guest also gets one more PCI device (the share, at slot 0x1f, so that no other
     * device moves) and the kernel argument {@code e2e_state=1}.
     */
    public GuestOptions withStateDir(Path dir) {
        return new GuestOptions(repo, workDir, kernelArgs, qemuArgs, accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, Optional.of(dir), kind, disk);
    }

    /**
     * Keeps the Debian 13 system guest's disk in {@code file} (a qcow2 overlay of the image, made by the first
     * boot that uses it): what a guest installs or writes is there at the next boot with the same file, as on
     * an installed system after a reboot. The image made again (new packages, a changed guest configuration)
     * makes the boot refuse the file: delete it then.
     */
    public GuestOptions withPersistentDisk(Path file) {
        return new GuestOptions(repo, workDir, kernelArgs, qemuArgs, accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir, kind, Optional.of(file));
    }

    /** The boot script inside {@link #repo()} ({@link Kind#script()}). */
    public Path guestScript() {
        return repo.resolve("e2e/scripts").resolve(kind.script());
    }

    /** The project's launcher, at the same path inside the host-root guest (the Debian 13 system guest has no checkout). */
    public Path launcher() {
        return repo.resolve("autoprobe");
    }

    static Path findRepo() {
        String property = System.getProperty("autoprobe.repo");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("autoprobe")) && Files.isRegularFile(p.resolve("pom.xml"))
                    && Files.isRegularFile(p.resolve("e2e/scripts/guest.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the autoprobe checkout above " + Path.of("").toAbsolutePath()
                + "; set -Dautoprobe.repo=DIR");
    }
}
