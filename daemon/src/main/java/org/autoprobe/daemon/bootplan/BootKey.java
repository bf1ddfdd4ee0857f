package org.autoprobe.daemon.bootplan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.autoprobe.daemon.generation.GenerationSources;

/**
 * What a boot plan is keyed on, apart from the devices: everything the daemon's decisions at start
 * depend on. One line per item, so that a plan that does not fit can say why:
 * <ul>
 *   <li>the plan format and autoprobe's own code (each class path entry's size and times);</li>
 *   <li>the running kernel ({@code /proc/version}: release, build number and date) and its command
 *       line ({@code modprobe.blacklist=}, {@code MODULE.option=});</li>
 *   <li>where the decisions are read from (the daemon's options);</li>
 *   <li>every directory the daemon watches for reloads (the modules directory with its index
 *       files, every modprobe.d and rules directory): the directory's own times, and each entry's
 *       name, type, size, modification and change times (links followed, the link's target too).</li>
 * </ul>
 * Change times cannot be set back by anyone, so an edited file changes the key even when its
 * size and modification time were put back. Inode numbers are left out: a file system seen over
 * 9p (a guest of a build machine) numbers them anew at each boot.
 */
public final class BootKey {
    private BootKey() {
    }

    /**
     * The key lines for these sources.
     *
     * @param procRoot the proc mount ({@code /proc}), or null to leave the kernel out (tests)
     */
    public static List<String> compute(GenerationSources sources, Path procRoot) {
        List<String> key = new ArrayList<>();
        key.add("format " + BootPlanFile.MAGIC);
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                key.add("code " + stamp(Path.of(entry)));
            }
        }
        if (procRoot != null) {
            key.add("kernel " + firstLine(procRoot.resolve("version")));
        }
        key.add("cmdline " + (sources.cmdline() == null ? "-" : firstLine(sources.cmdline())));
        key.add("sources " + sources.moduleDir() + " " + sources.configPaths() + " " + sources.rulesDirs() + " "
                + sources.sysRoot());
        for (Path dir : sources.watchedDirectories()) {
            key.add("dir " + stamp(dir));
            Map<String, String> entries = new TreeMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    entries.put(p.getFileName().toString(), stamp(p));
                }
            } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
                continue; // said by the directory's own stamp
            } catch (IOException | RuntimeException e) {
                key.add("unreadable " + dir + ": " + e.getMessage());
                continue;
            }
            entries.values().forEach(v -> key.add("file " + v));
        }
        return key;
    }

    /**
     * {@code PATH MODE SIZE MTIME CTIME} (links followed; mode in octal, with the file type; times in
     * ns), or {@code PATH missing}. One stat, printed as numbers: under emulation the key's hundred
     * entries took 0.9 s when each time was formatted as a date. A link pointed elsewhere changes
     * its directory's times, which are in the key too.
     */
    static String stamp(Path p) {
        StringBuilder b = new StringBuilder(p.toString());
        try {
            java.util.Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,ctime");
            b.append(' ').append(Integer.toOctalString((Integer) a.get("mode"))).append(' ').append(a.get("size"))
                    .append(' ').append(nanos(a.get("lastModifiedTime"))).append(' ').append(nanos(a.get("ctime")));
        } catch (NoSuchFileException e) {
            b.append(" missing");
        } catch (IOException | RuntimeException e) {
            b.append(" unreadable ").append(e.getClass().getSimpleName());
        }
        return b.toString();
    }

    private static long nanos(Object time) {
        return ((java.nio.file.attribute.FileTime) time).to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static String firstLine(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String s = new String(bytes, StandardCharsets.ISO_8859_1);
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        } catch (IOException e) {
            return "unreadable " + file;
        }
    }

    /** The first item where {@code a} and {@code b} differ, for a log line; null when equal. */
    static String firstDifference(List<String> planned, List<String> now) {
        int n = Math.min(planned.size(), now.size());
        for (int i = 0; i < n; i++) {
            if (!planned.get(i).equals(now.get(i))) {
                return "was '" + planned.get(i) + "', now '" + now.get(i) + "'";
            }
        }
        if (planned.size() != now.size()) {
            return planned.size() > now.size() ? "'" + planned.get(n) + "' is gone" : "'" + now.get(n) + "' is new";
        }
        return null;
    }

}
