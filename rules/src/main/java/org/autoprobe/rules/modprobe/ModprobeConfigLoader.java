package org.autoprobe.rules.modprobe;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.rules.files.ConfigFileReader;
import org.autoprobe.rules.files.ReadProblems;

/**
 * Builds the modprobe configuration the way kmod 30's libkmod does: every configuration file in
 * {@link ConfigFiles} order, then the kernel command line.
 *
 * <p>The paths are used as given: like kmod, nothing prefixes them with a root directory. Files
 * are read through {@link ConfigFileReader}: regular files only, at most 4 MiB each.
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
     * @param warnings      receives one message per problem (bad line, a file that is not a regular file
     *                      or is too large, an unreadable file); loading goes on. A {@link ReadProblems}
     *                      is told separately of files that could not be read (I/O error, gone meanwhile)
     */
    public static ModprobeConfig load(List<Path> configPaths, Path moduleDir, Optional<String> kernelCmdline,
                                      Consumer<String> warnings) {
        ConfigBuilder builder = new ConfigBuilder();
        loadInto(builder, configPaths, moduleDir, kernelCmdline, warnings);
        return builder.build();
    }

    /** A configuration and every directive of it with the file and line it came from (for explain). */
    public record Traced(ModprobeConfig config, List<ConfigLine> lines) {
        public Traced {
            lines = List.copyOf(lines);
        }
    }

    /** As {@link #load}, keeping where each directive was written. */
    public static Traced loadTraced(List<Path> configPaths, Path moduleDir, Optional<String> kernelCmdline,
                                    Consumer<String> warnings) {
        ConfigBuilder builder = new ConfigBuilder(true);
        loadInto(builder, configPaths, moduleDir, kernelCmdline, warnings);
        return new Traced(builder.build(), builder.trace());
    }

    private static void loadInto(ConfigBuilder builder, List<Path> configPaths, Path moduleDir,
                                 Optional<String> kernelCmdline, Consumer<String> warnings) {
        List<Path> paths = configPaths.isEmpty() ? DEFAULT_PATHS : configPaths;
        for (ConfigFiles.ConfigFile file : ConfigFiles.list(paths, moduleDir, warnings)) {
            // modules.softdep/.weakdep may well be missing; a listed file gone meanwhile is reported
            Optional<byte[]> content = ConfigFileReader.read(file.path(), file.shownAs(),
                    file.listed() ? ConfigFileReader.IfMissing.VANISHED : ConfigFileReader.IfMissing.SKIP, warnings);
            if (content.isPresent()) {
                ModprobeConfigParser.parseInto(builder, file.shownAs(), content.get(), warnings);
            }
        }
        kernelCmdline.ifPresent(cmdline -> KernelCmdlineParser.parseInto(builder, cmdline, warnings));
    }
}
