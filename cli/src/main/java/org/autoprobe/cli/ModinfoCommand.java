package org.autoprobe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.tools.Modinfo;
import org.autoprobe.core.tools.ModuleLookup;
import org.autoprobe.core.tools.ResolverModuleLookup;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code modinfo}: what kmod 30's modinfo prints for module files, names and aliases. This class
 * parses the options (kmod's getopt order for the field options) and prints; core's {@link Modinfo}
 * does the work.
 */
@Command(name = "modinfo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Show information about kernel modules (kmod-compatible).")
final class ModinfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The lookup made for a modules directory; null: {@link #withSystemConfig}. */
    private final Function<Path, ModuleLookup> lookups;
    /** The running system's paths (its release, command line); a test may point it at a fixture. */
    SystemRoot system = SystemRoot.host();
    private String field;
    private char separator = '\n';

    @Option(names = {"-m", "--modname"}, description = "Handle arguments as module names instead of aliases or filenames")
    boolean byName;

    @Option(names = {"-k", "--set-version"}, paramLabel = "VERSION", description = "Use VERSION instead of `uname -r`")
    String kernelVersion;

    @Option(names = {"-b", "--basedir"}, paramLabel = "DIR", description = "Use DIR as filesystem root for /lib/modules")
    String root;

    @Parameters(arity = "0..*", paramLabel = "MODULE", description = "module file, name or alias")
    List<String> modules = new ArrayList<>();

    /** A command that finds names and aliases as libkmod does: modprobe.d, names, symbols, index aliases, builtins. */
    public ModinfoCommand() {
        this(null);
    }

    /** A command that finds names and aliases with the lookup made for a modules directory. */
    public ModinfoCommand(Function<Path, ModuleLookup> lookups) {
        this.lookups = lookups;
    }

    // kmod's getopt: the last of -a/-d/-l/-p/-n/-F wins, so these are setters called in command-line order
    @Option(names = {"-a", "--author"}, description = "Print only 'author'")
    void author(boolean on) {
        field = "author";
    }

    @Option(names = {"-d", "--description"}, description = "Print only 'description'")
    void description(boolean on) {
        field = "description";
    }

    @Option(names = {"-l", "--license"}, description = "Print only 'license'")
    void license(boolean on) {
        field = "license";
    }

    @Option(names = {"-p", "--parameters"}, description = "Print only 'parm'")
    void parameters(boolean on) {
        field = "parm";
    }

    @Option(names = {"-n", "--filename"}, description = "Print only 'filename'")
    void filename(boolean on) {
        field = "filename";
    }

    @Option(names = {"-F", "--field"}, paramLabel = "FIELD", description = "Print only provided FIELD")
    void field(String name) {
        field = name;
    }

    @Option(names = {"-0", "--null"}, description = "Use \\0 instead of \\n")
    void nul(boolean on) {
        separator = '\0';
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        return new Modinfo(() -> {
            String release = kernelVersion != null ? kernelVersion : ModuleTreeOptions.runningKernel(system);
            Path moddir = (root == null ? system : system.withBase(Path.of(root))).modulesDirectory(release);
            return lookups == null ? withSystemConfig(system, moddir) : lookups.apply(moddir);
        }).run(new Modinfo.Options(modules, byName, field, separator), spec.commandLine().getOut(), (priority, text) -> {
            err.print("modinfo: " + text + "\n");
            err.flush();
        });
    }

    /** The lookup modinfo makes with no options: the system's modprobe.d and kernel command line. */
    static ModuleLookup withSystemConfig(SystemRoot system, Path moddir) {
        ModprobeConfig config = ModprobeConfigLoader.load(List.of(), moddir,
                ModuleTreeOptions.kernelCommandLine(system, w -> { }), w -> { });
        return ResolverModuleLookup.of(moddir, config);
    }
}
