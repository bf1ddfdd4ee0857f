package org.autoprobe.daemon.generation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.autoprobe.rules.modprobe.ModprobeConfigLoader;
import org.autoprobe.rules.udev.UdevRulesLoader;

/**
 * Where a generation is read from.
 *
 * @param moduleDir   {@code /lib/modules/<kver>}: its {@code .bin} indexes and {@code modules.softdep}
 * @param configPaths modprobe.d directories or files; empty means kmod's defaults
 * @param rulesDirs   rules directories, highest precedence first (autoprobe's own rules come last)
 * @param sysRoot     the sysfs mount the rules read ({@code /sys}, or a fixture)
 * @param cmdline     the kernel command line file ({@code /proc/cmdline}), or null for none
 */
public record GenerationSources(Path moduleDir, List<Path> configPaths, List<Path> rulesDirs, Path sysRoot,
                                Path cmdline) {
    public GenerationSources {
        Objects.requireNonNull(moduleDir, "moduleDir");
        Objects.requireNonNull(sysRoot, "sysRoot");
        configPaths = List.copyOf(configPaths);
        rulesDirs = List.copyOf(rulesDirs);
    }

    /** The running system's: kmod's configuration directories, autoprobe's rules directories, /sys, /proc/cmdline. */
    static GenerationSources host(Path moduleDir) {
        return new GenerationSources(moduleDir, List.of(), UdevRulesLoader.DEFAULT_DIRS, Path.of("/sys"),
                Path.of("/proc/cmdline"));
    }

    /**
     * The directories whose changes call for a new generation: the modules directory (depmod
     * rewrites {@code modules.dep.bin} there) and every configuration and rules directory (for a
     * configuration file, its directory).
     */
    public List<Path> watchedDirectories() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(moduleDir);
        for (Path p : configPaths.isEmpty() ? ModprobeConfigLoader.defaultConfigPaths() : configPaths) {
            dirs.add(p.toString().endsWith(".conf") && p.getParent() != null ? p.getParent() : p);
        }
        dirs.addAll(rulesDirs);
        return dirs.stream().distinct().toList();
    }
}
