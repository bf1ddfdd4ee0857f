package org.autoprobe.rules.udev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.autoprobe.rules.files.ConfigFileReader;
import org.autoprobe.rules.files.ReadProblems;

/**
 * Finds and reads rules files as udev does: every {@code *.rules} file (not starting with a dot,
 * not a directory) of the given directories; a file name found in an earlier directory shadows the
 * same name in later ones; the files run sorted by name (byte order), whichever directory they come
 * from. An empty file, or a symbolic link to {@code /dev/null}, masks that name. Lines end at
 * {@code \n}, {@code \r\n}, {@code \r} or a NUL byte. Files are read through
 * {@link ConfigFileReader}: regular files only (a FIFO, a device or a socket is reported and
 * skipped), at most 4 MiB each.
 */
public final class UdevRulesLoader {
    /** Where autoprobe looks, highest precedence first. */
    public static final List<Path> DEFAULT_DIRS = List.of(Path.of("/etc/autoprobe/rules.d"),
            Path.of("/usr/lib/autoprobe/rules.d"));
    /** The name of the rules file shipped inside autoprobe (see {@link #loadWithDefaults}). */
    static final String DEFAULT_RULES_NAME = "80-autoprobe-drivers.rules";
    private static final String DEFAULT_RULES_RESOURCE = DEFAULT_RULES_NAME;

    private UdevRulesLoader() {
    }

    /** The rules of {@code dirs} (highest precedence first). A missing directory is skipped. */
    static RuleSet load(List<Path> dirs, Consumer<String> warnings) {
        return load(dirs, false, warnings);
    }

    /**
     * Like {@link #load}, with autoprobe's own {@value #DEFAULT_RULES_NAME} (from the class path) as
     * if it lay in a last directory: a file of that name in {@code dirs} replaces or masks it.
     */
    public static RuleSet loadWithDefaults(List<Path> dirs, Consumer<String> warnings) {
        return load(dirs, true, warnings);
    }

    /** The rules shipped inside autoprobe, alone. */
    public static RuleSet defaults(Consumer<String> warnings) {
        return UdevRulesParser.parse("classpath:" + DEFAULT_RULES_NAME, lines(defaultRulesBytes()), warnings);
    }

    private static RuleSet load(List<Path> dirs, boolean withDefaults, Consumer<String> warnings) {
        Map<String, Path> files = new TreeMap<>(UdevRulesLoader::compareNames);
        for (Path dir : dirs) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.startsWith(".") || !name.endsWith(".rules") || files.containsKey(name)
                            || Files.isDirectory(entry)) {
                        continue;
                    }
                    files.put(name, entry);
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                continue;
            } catch (IOException e) {
                ReadProblems.of(warnings).unreadable("cannot list rules directory " + dir + ": " + e.getMessage());
            }
        }
        if (withDefaults && !files.containsKey(DEFAULT_RULES_NAME)) {
            files.put(DEFAULT_RULES_NAME, null);
        }
        List<RuleSet> sets = new ArrayList<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Path path = f.getValue();
            if (path == null) {
                sets.add(defaults(warnings));
                continue;
            }
            if (masked(path)) {
                continue;
            }
            Optional<byte[]> bytes = ConfigFileReader.read(path, path.toString(), ConfigFileReader.IfMissing.VANISHED,
                    warnings);
            if (bytes.isPresent() && bytes.get().length > 0) {
                sets.add(UdevRulesParser.parse(path.toString(), lines(bytes.get()), warnings));
            }
        }
        return RuleSet.concat(sets);
    }

    /** A symbolic link to {@code /dev/null} masks its name (even where that path does not resolve). */
    private static boolean masked(Path path) {
        try {
            return Files.isSymbolicLink(path) && Files.readSymbolicLink(path).toString().equals("/dev/null");
        } catch (IOException e) {
            return false;
        }
    }

    /** Splits a file into lines as udev reads them. */
    static List<String> lines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == 0) {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static byte[] defaultRulesBytes() {
        try (InputStream in = UdevRulesLoader.class.getResourceAsStream(DEFAULT_RULES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("autoprobe's " + DEFAULT_RULES_NAME + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int compareNames(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
