package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.autoprobe.core.elf.ModuleFormatException;
import org.autoprobe.core.elf.ModuleReader;
import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.text.RawText;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code modinfo}: what kmod 30's modinfo prints for module files, names and aliases. */
@Command(name = "modinfo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Show information about kernel modules (kmod-compatible).")
public final class ModinfoCommand implements Callable<Integer> {
    private static final String[] MODULE_EXTENSIONS = {".ko", ".ko.xz", ".ko.zst", ".ko.gz"};

    @Spec
    CommandSpec spec;

    private final Function<Path, ModuleLookup> lookups;
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
        this(ResolverModuleLookup::withSystemConfig);
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
        if (modules.isEmpty()) {
            error("missing module or filename.");
            return 1;
        }
        String release = kernelVersion != null ? kernelVersion : ModuleTreeOptions.runningKernel();
        // libkmod makes the directory absolute against the working directory, unnormalised
        Path moddir = Path.of((root == null ? "" : root) + "/lib/modules/" + release).toAbsolutePath();
        ModuleLookup lookup = lookups.apply(moddir);
        ModinfoFormatter formatter = new ModinfoFormatter(field, separator);
        boolean failed = false;
        for (String arg : modules) {
            try {
                if (byName) {
                    Optional<ModuleLookup.Found> m = lookup.byName(arg);
                    if (m.isEmpty()) {
                        error("Module name " + arg + " not found.");
                        failed = true;
                    } else {
                        failed |= !show(formatter, lookup, m.get());
                    }
                } else if (isModuleFile(arg)) {
                    Path file = Path.of(arg);
                    String absolute = file.isAbsolute() ? arg : System.getProperty("user.dir") + "/" + arg;
                    failed |= !show(formatter, lookup, new ModuleLookup.Found(ModuleNames.fromPath(file), Optional.of(Path.of(absolute))));
                } else {
                    List<ModuleLookup.Found> found = lookup.lookup(arg);
                    if (found.isEmpty()) {
                        error("Module " + arg + " not found.");
                        failed = true;
                    }
                    for (ModuleLookup.Found m : found) {
                        failed |= !show(formatter, lookup, m);
                    }
                }
            } catch (IOException e) {
                error(e.getMessage());
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    private static boolean isModuleFile(String arg) {
        Path p = Path.of(arg);
        if (!Files.isRegularFile(p)) {
            return false;
        }
        for (String ext : MODULE_EXTENSIONS) {
            if (arg.length() > ext.length() && arg.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    /** Prints one module; false when its information could not be read (the filename line is printed first, as kmod). */
    private boolean show(ModinfoFormatter formatter, ModuleLookup lookup, ModuleLookup.Found m) throws IOException {
        StringBuilder out = new StringBuilder(4096);
        List<String> warnings = new ArrayList<>();
        String filename = m.file().map(Path::toString).orElse(null);
        List<ModinfoField> records;
        String problem = null;
        if (m.builtin()) {
            Optional<List<ModinfoField>> r;
            try {
                r = lookup.builtinModinfo(m.name());
            } catch (IOException e) {
                r = Optional.of(List.of());
                problem = e.getMessage();
            }
            if (problem != null) {
                write(formatted(formatter, m, null));
                error(problem);
                return false;
            }
            records = r.orElse(List.of());
        } else if ("filename".equals(field)) {
            records = List.of(); // kmod prints the file name without opening the file
        } else {
            try {
                ModuleInfo info = ModuleReader.read(m.file().get());
                records = ModinfoFormatter.records(info);
            } catch (ModuleFormatException e) {
                records = List.of();
                problem = e.problem();
            } catch (java.nio.file.NoSuchFileException e) {
                records = List.of();
                problem = "No such file or directory";
            } catch (IOException e) {
                records = List.of();
                problem = e.getMessage();
            }
        }
        // on a problem: the name/filename lines only
        formatter.format(out, byteString(m.name()), byteString(filename), records, warnings);
        write(out);
        for (String w : warnings) {
            error(RawText.fromByteString(w));
        }
        if (problem != null && !(field != null && field.equals("filename"))) {
            error("could not get modinfo from '" + m.name() + "': " + problem);
            return false;
        }
        return true;
    }

    private static StringBuilder formatted(ModinfoFormatter formatter, ModuleLookup.Found m, String filename) {
        StringBuilder out = new StringBuilder();
        formatter.format(out, byteString(m.name()), byteString(filename), List.of(), new ArrayList<>());
        return out;
    }

    /**
     * Text (a name, a path) as a byte string like the module's records (one char per byte), so
     * that the formatter pads and joins bytes, as kmod does.
     */
    private static String byteString(String text) {
        return text == null ? null : new String(RawText.encode(text), StandardCharsets.ISO_8859_1);
    }

    /** Writes a byte string (one char per byte) so that the bytes come out as they were in the module. */
    private void write(StringBuilder byteString) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(RawText.fromByteString(byteString)); // the writer puts back exactly these bytes
        out.flush();
    }

    private void error(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.print("modinfo: ERROR: " + message + "\n");
        err.flush();
    }
}
