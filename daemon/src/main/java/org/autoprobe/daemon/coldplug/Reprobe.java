package org.autoprobe.daemon.coldplug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;

/**
 * After a coldplug has settled: a device with a MODALIAS, no driver bound, and a module that serves
 * it already live in the kernel is probed again ({@code <bus>/drivers_probe}). That is the state a
 * load interrupted half-way leaves (the autoloader killed while the driver's init probed the
 * device: the module stays, the probe failed), and the coldplug that follows would otherwise find
 * the module loaded and do nothing. A driver that refuses the device refuses it again, harmlessly.
 */
public final class Reprobe {
    private final Path sysRoot;
    private final Consumer<String> warnings;

    public Reprobe(Path sysRoot, Consumer<String> warnings) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * Probes the unbound devices whose modules ({@code modulesFor} a MODALIAS) include a live one.
     *
     * @return the device paths that have a driver bound afterwards
     */
    public List<String> run(Function<String, List<String>> modulesFor) throws IOException {
        List<String> bound = new ArrayList<>();
        for (SysfsDevice d : SysfsDevices.scan(sysRoot, warnings)) {
            String modalias = d.modalias().orElse(null);
            if (modalias == null || !d.driver().isEmpty() || d.subsystem().isEmpty()) {
                continue;
            }
            Path probe = sysRoot.resolve("bus").resolve(d.subsystem()).resolve("drivers_probe");
            if (!Files.isRegularFile(probe) || modulesFor.apply(modalias).stream().noneMatch(this::live)) {
                continue;
            }
            Path dir = sysRoot.resolve(d.devpath().substring(1));
            String name = dir.getFileName().toString();
            try {
                Files.writeString(probe, name, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                // the kernel answers a probe that found no driver with an error: nothing to report
            }
            if (Files.isSymbolicLink(dir.resolve("driver"))) {
                bound.add(d.devpath());
            }
        }
        return bound;
    }

    private boolean live(String module) {
        Path state = sysRoot.resolve("module").resolve(module).resolve("initstate");
        try {
            return Files.isRegularFile(state, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(state, StandardCharsets.US_ASCII).strip().equals("live");
        } catch (IOException e) {
            return false;
        }
    }
}
