package org.autoprobe.rules.modprobe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import org.autoprobe.rules.files.ReadProblems;

/**
 * Which configuration files kmod 30 reads, in which order.
 *
 * <p>{@code <moduleDir>/modules.softdep} goes in first under its name, then (as kmod 34 does;
 * kmod 30 has no such file) {@code <moduleDir>/modules.weakdep}; then every configuration
 * path in turn: a path that does not exist is skipped, a file counts under its own name, a
 * directory gives its entries that end in {@code .conf} or {@code .alias} and do not start with a
 * dot (a directory among them is reported and skipped). The list is kept sorted by name
 * (byte-wise); a name already present is ignored, so an earlier path shadows a later one.
 */
final class ConfigFiles {
    /**
     * A file to read; {@code shownAs} is the name messages use, as kmod builds it; {@code listed}
     * when it was seen to exist (in its directory, or as a path given), so that its absence when read
     * means it vanished meanwhile.
     */
    record ConfigFile(String name, Path path, String shownAs, boolean listed) {
    }

    private ConfigFiles() {
    }

    static List<ConfigFile> list(List<Path> configPaths, Path moduleDir, Consumer<String> warnings) {
        List<ConfigFile> files = new ArrayList<>();
        if (moduleDir != null) {
            insert(files, inDirectory(moduleDir, "modules.softdep", false));
            insert(files, inDirectory(moduleDir, "modules.weakdep", false));
        }
        for (Path path : configPaths) {
            if (!Files.exists(path)) {
                continue;
            }
            if (!Files.isDirectory(path)) {
                Path fileName = path.getFileName();
                insert(files, new ConfigFile(fileName == null ? "" : fileName.toString(), path, path.toString(), true));
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (!wanted(name)) {
                        continue;
                    }
                    if (Files.isDirectory(entry)) {
                        warnings.accept("directories inside configuration directories are not supported, skipping "
                                + path + "/" + name);
                        continue;
                    }
                    insert(files, inDirectory(path, name, true));
                }
            } catch (IOException e) {
                ReadProblems.of(warnings).unreadable("cannot list configuration directory " + path + ": " + e.getMessage());
            }
        }
        return files;
    }

    private static ConfigFile inDirectory(Path dir, String name, boolean listed) {
        return new ConfigFile(name, dir.resolve(name), dir + "/" + name, listed);
    }

    private static boolean wanted(String name) {
        return !name.startsWith(".") && name.length() >= 6 && (name.endsWith(".conf") || name.endsWith(".alias"));
    }

    private static void insert(List<ConfigFile> files, ConfigFile file) {
        byte[] key = file.name().getBytes(StandardCharsets.UTF_8);
        int at = 0;
        for (; at < files.size(); at++) {
            int cmp = Arrays.compareUnsigned(key, files.get(at).name().getBytes(StandardCharsets.UTF_8));
            if (cmp == 0) {
                return;
            }
            if (cmp < 0) {
                break;
            }
        }
        files.add(at, file);
    }
}
