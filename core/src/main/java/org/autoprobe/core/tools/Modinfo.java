package org.autoprobe.core.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.autoprobe.core.elf.ModuleReader;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.text.RawText;

/**
 * kmod 30's {@code modinfo}, given its parsed options: what it prints for module files, names and
 * aliases. Its output is written as it goes to the caller's writer (with {@code -0} it is not made
 * of lines), its messages pass through one {@link ToolLog} to the caller's {@link LogSink} as they
 * happen; {@link #run} returns the exit code.
 */
public final class Modinfo {
    private static final String[] MODULE_EXTENSIONS = {".ko", ".ko.xz", ".ko.zst", ".ko.gz"};

    /**
     * A modinfo command line, parsed.
     *
     * @param modules   the arguments: module files, names or aliases
     * @param byName    {@code -m}: every argument is a module name
     * @param field     the one field printed ({@code -F}, or the last of {@code -a -d -l -p -n}); null for all
     * @param separator {@code \n}, or {@code \0} with {@code -0}
     */
    public record Options(List<String> modules, boolean byName, String field, char separator) {
        public Options {
            modules = List.copyOf(modules);
        }
    }

    private final Supplier<ModuleLookup> lookups;
    private PrintWriter out;
    private ToolLog log;

    /** @param lookups the lookup of the modules directory, made once there is an argument to look up */
    public Modinfo(Supplier<ModuleLookup> lookups) {
        this.lookups = Objects.requireNonNull(lookups, "lookups");
    }

    /**
     * Runs.
     *
     * @param out      standard output
     * @param messages where {@code ERROR: message} lines go as they happen (the caller prefixes
     *                 {@code modinfo: } for standard error)
     * @return the exit code
     */
    public int run(Options options, PrintWriter out, LogSink messages) {
        this.out = out;
        this.log = new ToolLog("modinfo", ToolLog.LOG_DEBUG, messages);
        if (options.modules().isEmpty()) {
            error("missing module or filename.");
            return 1;
        }
        ModuleLookup lookup = lookups.get();
        ModinfoFormatter formatter = new ModinfoFormatter(options.field(), options.separator());
        boolean failed = false;
        for (String arg : options.modules()) {
            try {
                if (options.byName()) {
                    Optional<ModuleLookup.Found> m = lookup.byName(arg);
                    if (m.isEmpty()) {
                        error("Module name " + arg + " not found.");
                        failed = true;
                    } else {
                        failed |= !show(options, formatter, lookup, m.get());
                    }
                } else if (isModuleFile(arg)) {
                    Path file = Path.of(arg);
                    String absolute = file.isAbsolute() ? arg : System.getProperty("user.dir") + "/" + arg;
                    failed |= !show(options, formatter, lookup, new ModuleLookup.Found(ModuleNames.fromPath(file),
                            Optional.of(Path.of(absolute))));
                } else {
                    List<ModuleLookup.Found> found = lookup.lookup(arg);
                    if (found.isEmpty()) {
                        error("Module " + arg + " not found.");
                        failed = true;
                    }
                    for (ModuleLookup.Found m : found) {
                        failed |= !show(options, formatter, lookup, m);
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
    private boolean show(Options options, ModinfoFormatter formatter, ModuleLookup lookup, ModuleLookup.Found m) {
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
        } else if ("filename".equals(options.field())) {
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
        if (problem != null && !(options.field() != null && options.field().equals("filename"))) {
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
        out.print(RawText.fromByteString(byteString)); // the writer puts back exactly these bytes
        out.flush();
    }

    private void error(String message) {
        log.log(ToolLog.LOG_ERR, message);
    }
}
