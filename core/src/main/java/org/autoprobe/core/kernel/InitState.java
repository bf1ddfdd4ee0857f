package org.autoprobe.core.kernel;

import java.util.Optional;

/** A module's state in the kernel, as {@code /sys/module/NAME/initstate} and libkmod name it. */
public enum InitState {
    /** Built into the kernel image. */
    BUILTIN,
    /** Loaded and initialised. */
    LIVE,
    /** Being loaded. */
    COMING,
    /** Being unloaded. */
    GOING;

    /** The state an {@code initstate} file's text names ({@code live}, {@code coming}, {@code going}). */
    static Optional<InitState> fromSysfs(String text) {
        return switch (text.strip()) {
            case "live" -> Optional.of(LIVE);
            case "coming" -> Optional.of(COMING);
            case "going" -> Optional.of(GOING);
            default -> Optional.empty();
        };
    }

    /** The state a {@code /proc/modules} state column names ({@code Live}, {@code Loading}, {@code Unloading}). */
    static Optional<InitState> fromProc(String text) {
        return switch (text) {
            case "Live" -> Optional.of(LIVE);
            case "Loading" -> Optional.of(COMING);
            case "Unloading" -> Optional.of(GOING);
            default -> Optional.empty();
        };
    }

    /** The column text of {@code /proc/modules}. */
    String procText() {
        return switch (this) {
            case LIVE, BUILTIN -> "Live";
            case COMING -> "Loading";
            case GOING -> "Unloading";
        };
    }
}
