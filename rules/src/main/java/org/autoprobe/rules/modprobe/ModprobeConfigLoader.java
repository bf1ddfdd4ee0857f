package org.autoprobe.rules.modprobe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.autoprobe.core.config.ModprobeConfig;

/**
 * Builds the modprobe configuration the way kmod 30's libkmod does: every configuration file in
 * {@link ConfigFiles} order, then the kernel command line.
 *
 * <p>The paths are used as given: like kmod, nothing prefixes them with a root directory.
 */
public final class ModprobeConfigLoader {
    private static final List<Path> DEFAULT_PATHS = List.of(
            Path.of("/etc/modprobe.d"),
            Path.of("/run/modprobe.d"),
            Path.of("/usr/local/lib/modprobe.d"),
            Path.of("/lib/modprobe.d"));

    private ModprobeConfigLoader() {
    }

    /** kmod 30's configuration paths, in its order. */
    public static List<Path> defaultConfigPaths() {
        return DEFAULT_PATHS;
    }

    /**
     * @param configPaths   directories or single files to read; empty means {@link #defaultConfigPaths()}
     * @param moduleDir     {@code /lib/modules/<kver>}, whose {@code modules.softdep} and (as kmod 34
     *                      does) {@code modules.weakdep} are read among the files; null for none
     * @param kernelCmdline the content of {@code /proc/cmdline}; empty for none
     * @param warnings      receives one message per problem (bad line, unreadable file); loading goes on
     */
    public static ModprobeConfig load(List<Path> configPaths, Path moduleDir, Optional<String> kernelCmdline,
                                      Consumer<String> warnings) {
        List<Path> paths = configPaths.isEmpty() ? DEFAULT_PATHS : configPaths;
        ConfigBuilder builder = new ConfigBuilder();
        for (ConfigFiles.ConfigFile file : ConfigFiles.list(paths, moduleDir, warnings)) {
            byte[] content;
            try {
                content = Files.readAllBytes(file.path());
            } catch (NoSuchFileException e) {
                continue; // kmod silently skips what it cannot open; modules.softdep/.weakdep may well be missing
            } catch (IOException e) {
                warnings.accept("cannot read " + file.shownAs() + ": " + e.getMessage());
                continue;
            }
            ModprobeConfigParser.parseInto(builder, file.shownAs(), content, warnings);
        }
        kernelCmdline.ifPresent(cmdline -> KernelCmdlineParser.parseInto(builder, cmdline, warnings));
        return builder.build();
    }
}
