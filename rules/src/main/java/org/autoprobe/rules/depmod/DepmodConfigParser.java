package org.autoprobe.rules.depmod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.rules.files.ConfigFileReader;
import org.autoprobe.rules.files.ReadProblems;

/**
 * Reads depmod.d configuration as kmod 30's depmod does: the {@code .conf} files of every
 * configuration directory merged and sorted by file name, a file in an earlier directory
 * shadowing a same-named one in a later directory; then {@code search}, {@code override},
 * {@code external} and {@code exclude} lines, in file and line order. A bad line is reported
 * as {@code file:line: ...} and the rest is kept.
 */
public final class DepmodConfigParser {
    /** kmod 30's default configuration directories, in precedence order. */
    static final List<Path> DEFAULT_PATHS = List.of(Path.of("/etc/depmod.d"), Path.of("/run/depmod.d"),
            Path.of("/usr/local/lib/depmod.d"), Path.of("/lib/depmod.d"));

    private DepmodConfigParser() {
    }

    /**
     * Loads configuration from directories or single files.
     *
     * @param configPaths directories or files ({@code -C}); empty means {@link #DEFAULT_PATHS}.
     *                    Paths that do not exist are skipped silently, as kmod does.
     * @param warnings    receives one line per problem (unreadable file, bad line, nested directory, a
     *                    file that is not a regular file or is larger than
     *                    {@link ConfigFileReader#MAX_BYTES}: each skipped, the rest read)
     */
    public static DepmodConfig load(List<Path> configPaths, Consumer<String> warnings) {
        TreeMap<String, Path> files = new TreeMap<>(DepmodConfigParser::strcmp);
        for (Path p : configPaths.isEmpty() ? DEFAULT_PATHS : configPaths) {
            list(p, files, warnings);
        }
        Builder b = new Builder();
        for (Path f : files.values()) {
            Optional<byte[]> bytes = ConfigFileReader.read(f, f.toString(), ConfigFileReader.IfMissing.VANISHED,
                    warnings);
            if (bytes.isPresent()) {
                parseInto(b, f.toString(), lines(new String(bytes.get(), StandardCharsets.ISO_8859_1)), warnings);
            }
        }
        return b.build();
    }

    /** Parses one file's lines (no file access). */
    static DepmodConfig parse(String fileName, List<String> lines, Consumer<String> warnings) {
        Builder b = new Builder();
        parseInto(b, fileName, lines, warnings);
        return b.build();
    }

    /** Splits at '\n' only (a '\r' stays in the line, as in kmod); no empty line after a final newline. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                out.add(text.substring(start));
                break;
            }
            out.add(text.substring(start, nl));
            start = nl + 1;
        }
        return out;
    }

    private static int strcmp(String a, String b) {
        return a.compareTo(b);
    }

    private static void list(Path path, TreeMap<String, Path> files, Consumer<String> warnings) {
        if (!Files.exists(path)) {
            return;
        }
        if (!Files.isDirectory(path)) {
            files.putIfAbsent(path.getFileName().toString(), path);
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.length() < 6 || !name.endsWith(".conf")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    warnings.accept("Directories inside directories are not supported: " + path + "/" + name);
                    continue;
                }
                files.putIfAbsent(name, p);
            }
        } catch (IOException e) {
            ReadProblems.of(warnings).unreadable("files list " + path + ": "
                    + (e.getMessage() == null ? e : e.getMessage()));
        }
    }

    private static final class Builder {
        final List<String> search = new ArrayList<>();
        final List<DepmodConfig.Override> overrides = new ArrayList<>();
        final List<DepmodConfig.External> externals = new ArrayList<>();
        final List<String> excludes = new ArrayList<>();

        DepmodConfig build() {
            return new DepmodConfig(search, overrides, externals, excludes);
        }
    }

    private static void parseInto(Builder b, String fileName, List<String> physical, Consumer<String> warnings) {
        int lineNo = 0;
        int i = 0;
        while (i < physical.size()) {
            StringBuilder logical = new StringBuilder();
            // join lines ending in a backslash; a backslash before any other character quotes it
            while (i < physical.size()) {
                String line = physical.get(i++);
                lineNo++;
                boolean continued = false;
                for (int k = 0; k < line.length(); k++) {
                    char c = line.charAt(k);
                    if (c == '\\') {
                        if (k + 1 == line.length()) {
                            continued = true;
                            break;
                        }
                        c = line.charAt(++k);
                    }
                    logical.append(c);
                }
                if (!continued) {
                    break;
                }
            }
            line(b, fileName, lineNo, logical.toString(), warnings);
        }
    }

    private static void line(Builder b, String fileName, int lineNo, String line, Consumer<String> warnings) {
        if (line.isEmpty() || line.charAt(0) == '#') {
            return;
        }
        String[] t = tokens(line);
        if (t.length == 0) {
            return;
        }
        String cmd = t[0];
        switch (cmd) {
            case "search" -> {
                for (int k = 1; k < t.length; k++) {
                    b.search.add(t[k]);
                }
            }
            case "override" -> {
                if (t.length < 4) {
                    bad(fileName, lineNo, cmd, warnings);
                } else {
                    b.overrides.add(new DepmodConfig.Override(t[1], t[2], t[3]));
                }
            }
            case "external" -> {
                if (t.length < 3) {
                    bad(fileName, lineNo, cmd, warnings);
                } else {
                    b.externals.add(new DepmodConfig.External(t[1], List.of(t[2])));
                }
            }
            case "exclude" -> {
                for (int k = 1; k < t.length; k++) {
                    b.excludes.add(t[k]);
                }
            }
            case "include", "make_map_files" -> {
                // kmod 30 accepts these and does nothing (it says so only in verbose mode)
            }
            default -> bad(fileName, lineNo, cmd, warnings);
        }
    }

    private static void bad(String fileName, int lineNo, String cmd, Consumer<String> warnings) {
        warnings.accept(fileName + ":" + lineNo + ": ignoring bad line starting with '" + cmd + "'");
    }

    private static String[] tokens(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int k = 0;
        while (k < n) {
            while (k < n && (line.charAt(k) == ' ' || line.charAt(k) == '\t')) {
                k++;
            }
            int start = k;
            while (k < n && line.charAt(k) != ' ' && line.charAt(k) != '\t') {
                k++;
            }
            if (k > start) {
                out.add(line.substring(start, k));
            }
        }
        return out.toArray(new String[0]);
    }
}
