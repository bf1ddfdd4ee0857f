package org.autoprobe.netlink.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Walks {@code <sys>/devices} the way coldplug does: every directory that has a {@code uevent}
 * file is a device; symbolic links are not followed (sysfs is full of cycles through them).
 */
public final class SysfsDevices {
    private SysfsDevices() {
    }

    /**
     * Every device under {@code sysRoot/devices}, parents before their children.
     *
     * @param sysRoot  the sysfs mount, normally {@code /sys}
     * @param warnings where an unreadable {@code uevent} file is reported (the walk goes on)
     */
    public static List<SysfsDevice> scan(Path sysRoot, Consumer<String> warnings) throws IOException {
        List<SysfsDevice> out = new ArrayList<>();
        forEach(sysRoot, out::add, warnings);
        return out;
    }

    /**
     * Hands every device under {@code sysRoot/devices} to {@code consumer} as the walk finds it,
     * parents before their children (coldplug announces each one at once instead of after the
     * whole walk).
     *
     * @param warnings where an unreadable {@code uevent} file is reported (the walk goes on)
     */
    public static void forEach(Path sysRoot, Consumer<SysfsDevice> consumer, Consumer<String> warnings)
            throws IOException {
        Path devices = sysRoot.resolve("devices");
        if (!Files.isDirectory(devices, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(devices + ": no such directory (is sysfs mounted?)");
        }
        forEachUevent(devices, (d, uevent) -> {
            SysfsDevice device;
            try {
                device = read(sysRoot, d, Files.readAllLines(uevent, StandardCharsets.UTF_8));
            } catch (IOException e) {
                warnings.accept(uevent + ": cannot read: " + e.getMessage());
                return;
            }
            consumer.accept(device);
        }, warnings);
    }

    /**
     * The device at {@code devpath} ({@code /devices/...}) as a walk would find it, without walking:
     * empty when it is not there (no regular {@code uevent} file, no directory) or when the devpath
     * is not a plain path under {@code /devices} (an empty, {@code .} or {@code ..} component).
     *
     * @throws IOException when its {@code uevent} file is there but cannot be read
     */
    public static java.util.Optional<SysfsDevice> device(Path sysRoot, String devpath) throws IOException {
        if (!devpath.startsWith("/devices/")) {
            return java.util.Optional.empty();
        }
        for (String part : devpath.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return java.util.Optional.empty();
            }
        }
        Path dir = sysRoot.resolve(devpath.substring(1));
        Path uevent = dir.resolve("uevent");
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(uevent, LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(read(sysRoot, dir, Files.readAllLines(uevent, StandardCharsets.UTF_8)));
    }

    /** What to do with one device: its directory and its {@code uevent} file. */
    @FunctionalInterface
    interface UeventVisitor {
        void visit(Path deviceDir, Path uevent);
    }

    /**
     * Visits every directory under {@code dir} that has a regular {@code uevent} file, parents
     * before children, never following links; unreadable directories are reported and skipped.
     */
    static void forEachUevent(Path dir, UeventVisitor visitor, Consumer<String> warnings) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                Path uevent = d.resolve("uevent");
                if (Files.isRegularFile(uevent, LinkOption.NOFOLLOW_LINKS)) {
                    visitor.visit(d, uevent);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                warnings.accept(file + ": cannot read: " + e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Builds a device from its directory and the lines of its {@code uevent} file. */
    static SysfsDevice read(Path sysRoot, Path dir, List<String> ueventLines) {
        Map<String, String> props = new LinkedHashMap<>();
        for (String line : ueventLines) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                props.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String devpath = "/" + sysRoot.relativize(dir).toString();
        return new SysfsDevice(devpath, linkName(dir.resolve("subsystem")), linkName(dir.resolve("driver")), props);
    }

    private static String linkName(Path link) {
        try {
            if (Files.isSymbolicLink(link)) {
                Path target = Files.readSymbolicLink(link).getFileName();
                return target == null ? "" : target.toString();
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
