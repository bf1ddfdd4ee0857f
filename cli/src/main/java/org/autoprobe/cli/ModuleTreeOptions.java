package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.text.RawText;
import org.autoprobe.rules.files.ConfigFileReader;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;
import picocli.CommandLine.Option;

/** modprobe's way of naming a module tree and its configuration: {@code -d ROOT -S KVER -C CONFIG}. */
final class ModuleTreeOptions {
    @Option(names = {"-d", "--dirname"}, paramLabel = "DIR", description = "Use DIR as filesystem root for /lib/modules")
    Path root;

    @Option(names = {"-S", "--set-version"}, paramLabel = "VERSION", description = "Use VERSION instead of `uname -r`")
    String kernelVersion;

    @Option(names = {"-C", "--config"}, paramLabel = "FILE", description = "Use FILE instead of the default configuration directories (repeatable)")
    List<Path> configs = new ArrayList<>();

    /** A module directory named outright ({@code compat}'s MODDIR), in place of ROOT/lib/modules/KVER; no option sets it. */
    Path directory;

    /** The options above for {@link PlainOptions}: the same names as their annotations. */
    static List<PlainOptions.Spec> plainSpecs() {
        return List.of(
                new PlainOptions.Spec(PlainOptions.Arity.ONE, "-d", "--dirname"),
                new PlainOptions.Spec(PlainOptions.Arity.ONE, "-S", "--set-version"),
                new PlainOptions.Spec(PlainOptions.Arity.REPEATABLE, "-C", "--config"));
    }

    /**
     * Sets the option {@code key} (a {@link #plainSpecs} key) to {@code value} as picocli would; false
     * when {@code key} is not one of these options or picocli would refuse the value.
     */
    boolean setPlain(String key, String value) {
        return switch (key) {
            case "--dirname" -> (root = PlainOptions.path(value)) != null;
            case "--set-version" -> {
                kernelVersion = value;
                yield true;
            }
            case "--config" -> {
                Path p = PlainOptions.path(value);
                yield p != null && configs.add(p);
            }
            default -> false;
        };
    }

    /** The running system's paths ({@code /sys}, {@code /proc}, modules under {@code /}); a test may point it at a fixture. */
    SystemRoot system = SystemRoot.host();

    /** {@link #system} with the module tree under ROOT when {@code -d} names one. */
    SystemRoot systemRoot() {
        return root == null ? system : system.withBase(root);
    }

    /** {@link #systemRoot()} with sysfs at {@code sys} when a {@code --sys DIR} names one (null: the system's). */
    SystemRoot systemRoot(Path sys) {
        return sys == null ? systemRoot() : systemRoot().withSys(sys);
    }

    /** The running kernel's release, as {@code uname -r} prints it (the JVM's idea of it when procfs cannot say). */
    static String runningKernel(SystemRoot system) {
        try {
            return system.osRelease();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    String kernel() {
        return kernelVersion != null ? kernelVersion : runningKernel(system);
    }

    /** {@code ROOT/lib/modules/KVER}, ROOT defaulting to {@code /} (or the {@link #directory} named outright). */
    Path moduleDirectory() {
        return directory != null ? directory : systemRoot().modulesDirectory(kernel());
    }

    /**
     * The kernel command line kmod reads (modprobe.blacklist=, mod.param=), read as configuration
     * files are (a regular file only, at most 4 MiB) and kept byte for byte; {@code warnings} hears
     * why when it cannot be.
     */
    static Optional<String> kernelCommandLine(SystemRoot system, Consumer<String> warnings) {
        Path cmdline = system.cmdline();
        return ConfigFileReader.read(cmdline, cmdline.toString(), ConfigFileReader.IfMissing.SKIP, warnings)
                .map(RawText::decode);
    }

    /** Whether {@code -d} or {@code -S} named the tree (rather than the running kernel's default). */
    boolean treeGiven() {
        return root != null || kernelVersion != null;
    }

    /**
     * When the module directory is not there, fails as kmod does: kmod's modprobe, given a tree that
     * does not exist, finds nothing and says {@code modprobe: FATAL: Module NAME not found in directory
     * DIR} (exit 1); so says {@code TOOL} for the first {@code name} it was asked about, or, with no
     * name ({@code name} null), {@code TOOL: FATAL: module directory DIR not found}. Returns true when
     * it said so (the caller exits 1), false when the directory is there.
     */
    boolean missingTree(PrintWriter err, String tool, String name) {
        Path dir = moduleDirectory();
        if (Files.isDirectory(dir)) {
            return false;
        }
        err.println(name == null ? tool + ": FATAL: module directory " + dir + " not found"
                : tool + ": FATAL: Module " + name + " not found in directory " + dir);
        err.flush();
        return true;
    }

    /** {@link #missingTree(PrintWriter, String, String)} for a command that was asked about no one name. */
    boolean missingTree(PrintWriter err, String tool) {
        return missingTree(err, tool, null);
    }

    ModprobeConfig config(PrintWriter err, String tool) {
        Consumer<String> warnings = w -> err.println(tool + ": WARNING: " + w);
        return ModprobeConfigLoader.load(configs, moduleDirectory(), kernelCommandLine(system, warnings), warnings);
    }

    ModuleDatabase database() {
        return BinModuleDatabase.open(moduleDirectory());
    }

    Resolver resolver(PrintWriter err, String tool, ModuleState state) {
        return new Resolver(database(), config(err, tool), state, e -> err.println(tool + ": ERROR: " + e));
    }
}
