package org.autoprobe.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 */
public record GuestOptions(Path repo, Path workDir, List<String> kernelArgs, List<String> qemuArgs,
        Optional<String> accel, int memoryMb, int cpus, Duration bootTimeout, Duration commandTimeout,
        boolean buildLauncher, Optional<Path> stateDir) {

    public GuestOptions {
        repo = repo.toAbsolutePath().normalize();
        workDir = workDir.toAbsolutePath().normalize();
        kernelArgs = List.copyOf(kernelArgs);
        qemuArgs = List.copyOf(qemuArgs);
        stateDir = stateDir.map(p -> p.toAbsolutePath().normalize());
        if (memoryMb < 256 || cpus < 1) {
            throw new IllegalArgumentException("memoryMb must be at least 256 and cpus at least 1");
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
                2048, 2, Duration.ofMinutes(5), Duration.ofMinutes(10), true, Optional.empty());
    }

    public GuestOptions withKernelArgs(String... args) {
        return new GuestOptions(repo, workDir, List.of(args), qemuArgs, accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir);
    }

    public GuestOptions withQemuArgs(String... args) {
        return new GuestOptions(repo, workDir, kernelArgs, List.of(args), accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir);
    }

    public GuestOptions withAccel(String newAccel) {
        return new GuestOptions(repo, workDir, kernelArgs, qemuArgs, Optional.of(newAccel), memoryMb, cpus,
                bootTimeout, commandTimeout, buildLauncher, stateDir);
    }

    public GuestOptions withWorkDir(Path dir) {
        return new GuestOptions(repo, dir, kernelArgs, qemuArgs, accel, memoryMb, cpus, bootTimeout,
                commandTimeout, buildLauncher, stateDir);
    }

    public GuestOptions withCommandTimeout(Duration timeout) {
        return new GuestOptions(repo, workDir, kernelArgs, qemuArgs, accel, memoryMb, cpus, bootTimeout,
                timeout, buildLauncher, stateDir);
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
                commandTimeout, buildLauncher, Optional.of(dir));
    }

    /** The boot script inside {@link #repo()}. */
    public Path guestScript() {
        return repo.resolve("e2e/scripts/guest.sh");
    }

    /** The project's launcher, at the same path inside the guest. */
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
