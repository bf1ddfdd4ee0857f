package org.autoprobe.daemon.generation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;

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

    /** {@code root}'s sysfs and kernel command line, with these module tree, configuration and rules. */
    public static GenerationSources of(SystemRoot root, Path moduleDir, List<Path> configPaths, List<Path> rulesDirs) {
        return new GenerationSources(moduleDir, configPaths, rulesDirs, root.sys(), root.cmdline());
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
