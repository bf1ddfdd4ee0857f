package org.autoprobe.core.sys;

import java.util.Locale;
import java.util.Optional;

/**
 * The module system call numbers of the running architecture (glibc exports no
 * {@code finit_module}, so all three go through {@code syscall(2)}).
 */
record SyscallNumbers(long initModule, long deleteModule, long finitModule) {
    /** The numbers for a {@code os.arch} value; empty for an architecture we do not know. */
    static Optional<SyscallNumbers> forArch(String arch) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> Optional.of(new SyscallNumbers(175, 176, 313));
            case "aarch64", "arm64", "riscv64", "loongarch64" -> Optional.of(new SyscallNumbers(105, 106, 273));
            case "x86", "i386", "i686" -> Optional.of(new SyscallNumbers(128, 129, 350));
            case "arm" -> Optional.of(new SyscallNumbers(128, 129, 379));
            case "ppc64le", "ppc64" -> Optional.of(new SyscallNumbers(128, 129, 353));
            case "s390x" -> Optional.of(new SyscallNumbers(128, 129, 344));
            default -> Optional.empty();
        };
    }
}
