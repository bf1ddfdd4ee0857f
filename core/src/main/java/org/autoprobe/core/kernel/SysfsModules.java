package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@code <sys>/module/NAME/} says about a module, read the way libkmod reads it. Directory
 * listings keep the order the file system returns (on sysfs, the order kmod prints).
 */
public final class SysfsModules {
    private final Path moduleDir;

    /** @param sysRoot the sysfs mount */
    public SysfsModules(Path sysRoot) {
        this.moduleDir = sysRoot.resolve("module");
    }

    /** {@code <sys>/module/NAME}. */
    public Path directory(String name) {
        return moduleDir.resolve(name);
    }

    /**
     * The module's state: {@code initstate} when present; a directory without it is a builtin module
     * (the kernel gives loadable modules an {@code initstate} from the start); empty when absent.
     */
    public Optional<InitState> initState(String name) {
        Path dir = directory(name);
        // the usual answer while loading is "absent": one stat, not a failed open and its exception
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Optional<String> text = read(dir.resolve("initstate"));
        if (text.isPresent()) {
            return InitState.fromSysfs(text.get());
        }
        return Files.isDirectory(dir) ? Optional.of(InitState.BUILTIN) : Optional.empty();
    }

    /** {@code refcnt}; empty when absent (not loaded, or a kernel without module unloading). */
    public OptionalInt refcount(String name) {
        // asked mostly of loaded modules (removal): read straight away
        Optional<String> text = read(directory(name).resolve("refcnt"));
        try {
            return text.isPresent() ? OptionalInt.of(Integer.parseInt(text.get().strip())) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** {@code coresize}; empty when absent. */
    OptionalLong coreSize(String name) {
        Optional<String> text = read(directory(name).resolve("coresize"));
        try {
            return text.isPresent() ? OptionalLong.of(Long.parseLong(text.get().strip())) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The entries of {@code holders/}, in directory order; empty when there are none or no directory. */
    public List<String> holders(String name) {
        return list(directory(name).resolve("holders"));
    }

    /** {@code parameters/}: each readable parameter and its value (trailing newline removed). */
    Map<String, String> parameters(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        Path dir = directory(name).resolve("parameters");
        for (String p : list(dir)) {
            read(dir.resolve(p)).ifPresent(v -> out.put(p, v.endsWith("\n") ? v.substring(0, v.length() - 1) : v));
        }
        return out;
    }

    /** {@code <sys>/module/compression}: the format the kernel decompresses itself, if any. */
    Optional<String> kernelCompression() {
        return read(moduleDir.resolve("compression")).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static List<String> list(Path dir) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
