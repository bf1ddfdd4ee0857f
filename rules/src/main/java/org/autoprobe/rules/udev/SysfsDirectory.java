package org.autoprobe.rules.udev;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * {@link SysfsView} over a sysfs tree on disk (the real {@code /sys} or a test fixture). Absolute
 * {@code TEST} paths under {@code /sys} are taken inside this tree; other absolute paths are the
 * host's.
 */
final class SysfsDirectory implements SysfsView {
    /** More than any sysfs attribute holds (a page). */
    private static final int MAX_VALUE = 64 * 1024;

    private final Path root;

    SysfsDirectory(Path root) {
        this.root = root;
    }

    @Override
    public String attribute(String devpath, String file) {
        Path path = below(devpath, file);
        if (path == null) {
            return null;
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                if (!file.equals("driver") && !file.equals("subsystem") && !file.equals("module")) {
                    return null;
                }
                Path target = Files.readSymbolicLink(path).getFileName();
                return target == null ? null : target.toString();
            }
            if (attrs.isDirectory()) {
                return null;
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_VALUE);
            }
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public int mode(String devpath, String file) {
        Path path;
        if (devpath == null) {
            path = file.equals("/sys") || file.startsWith("/sys/") ? below("", file.substring(4)) : host(file);
        } else {
            path = below(devpath, file);
        }
        if (path == null) {
            return -1;
        }
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            return (Integer) mode;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return posixMode(path);
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    @Override
    public String devpathOf(String subsystem, String sysname) {
        if (!normalized(subsystem) || !normalized(sysname)) {
            return null;
        }
        String name = sysname.replace('/', '!');
        String[] candidates;
        switch (subsystem) {
            case "subsystem":
                candidates = new String[] {"/bus/" + name, "/class/" + name};
                break;
            case "module":
                candidates = new String[] {"/module/" + name};
                break;
            case "drivers": {
                int colon = name.indexOf(':');
                candidates = colon <= 0 ? new String[0]
                        : new String[] {"/bus/" + name.substring(0, colon) + "/drivers/" + name.substring(colon + 1)};
                break;
            }
            default:
                candidates = new String[] {"/bus/" + subsystem + "/devices/" + name, "/class/" + subsystem + "/" + name,
                    "/firmware/" + subsystem + "/" + name};
        }
        for (String candidate : candidates) {
            Path path = below(candidate, "");
            if (path != null && Files.exists(path)) {
                return candidate;
            }
        }
        return null;
    }

    private Path below(String devpath, String file) {
        // a devpath comes from an event: one with "." or ".." components would leave the tree
        if (!devpath.isEmpty() && !normalized(devpath.startsWith("/") ? devpath.substring(1) : devpath)) {
            return null;
        }
        String rel = (devpath + "/" + file).replaceAll("^/+", "");
        try {
            return rel.isEmpty() ? root : root.resolve(rel);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path host(String file) {
        try {
            return Path.of(file);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static int posixMode(Path path) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            int mode = 0;
            for (PosixFilePermission p : perms) {
                mode |= 0400 >> p.ordinal();
            }
            return mode;
        } catch (UnsupportedOperationException e) {
            return Files.exists(path) ? 0 : -1;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }

    /** Like systemd's path_is_normalized: no empty, "." or ".." component. */
    private static boolean normalized(String s) {
        if (s.isEmpty() || s.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : s.split("/", -1)) {
            if (part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return !s.contains("//");
    }
}
