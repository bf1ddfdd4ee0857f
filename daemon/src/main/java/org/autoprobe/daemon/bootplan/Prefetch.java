package org.autoprobe.daemon.bootplan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the plan's module files into the page cache while the plan's key is still being checked,
 * in the order their loads will be queued (each module after the modules it needs), so that the
 * inserts that follow find their files in memory instead of on a cold disk (or, in the e2e guest,
 * over 9p). Reading loads nothing: a plan whose key does not match costs a few reads and no more.
 *
 * <p>The plan file is root's, but it is read before its key is checked: only regular files named
 * as modules ({@code .ko}, {@code .ko.xz}, {@code .ko.zst}, {@code .ko.gz}) of at most
 * {@link #MAX_FILE} bytes are read, never a device, FIFO or directory, and no more than their size.
 */
final class Prefetch implements Runnable {
    /** Larger module files are left to the insert (the largest of Debian's is ~10 MB). */
    static final long MAX_FILE = 64L << 20;

    private final List<String> paths;
    private volatile boolean cancelled;
    private long bytes;
    private int files;

    Prefetch(List<String> paths) {
        this.paths = List.copyOf(paths);
    }

    /** The module files in load order: for each device in {@code devices}' order, each module's needs first. */
    static List<String> order(List<String> devices, Map<String, BootPlan.Device> byPath, Map<String, BootPlan.Module> modules) {
        Set<String> names = new LinkedHashSet<>();
        for (String d : devices) {
            BootPlan.Device dev = byPath.get(d);
            if (dev != null) {
                for (String m : dev.wants()) {
                    visit(m, modules, names, new java.util.HashSet<>());
                }
            }
        }
        names.addAll(modules.keySet());
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            BootPlan.Module m = modules.get(n);
            if (m != null) {
                out.add(m.path());
            }
        }
        return out;
    }

    private static void visit(String name, Map<String, BootPlan.Module> modules, Set<String> out, Set<String> visiting) {
        BootPlan.Module m = modules.get(name);
        if (m == null || out.contains(name) || !visiting.add(name)) {
            return;
        }
        for (String p : m.after()) {
            visit(p, modules, out, visiting);
        }
        for (String p : m.softAfter()) {
            visit(p, modules, out, visiting);
        }
        out.add(name);
    }

    /** Stops after the file being read. */
    void cancel() {
        cancelled = true;
    }

    /** Bytes read so far. */
    long bytes() {
        return bytes;
    }

    /** Files read so far. */
    int files() {
        return files;
    }

    /** Whether a path may be read: a module's name. */
    static boolean moduleName(String path) {
        return path.endsWith(".ko") || path.endsWith(".ko.xz") || path.endsWith(".ko.zst") || path.endsWith(".ko.gz");
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10);
        for (String p : paths) {
            if (cancelled) {
                return;
            }
            if (!moduleName(p)) {
                continue;
            }
            try {
                Path path = Path.of(p);
                if (!Files.isRegularFile(path)) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                    long size = ch.size();
                    if (size > MAX_FILE) {
                        continue;
                    }
                    long left = size;
                    while (left > 0 && !cancelled) {
                        buf.clear();
                        int n = ch.read(buf);
                        if (n < 0) {
                            break;
                        }
                        left -= n;
                        bytes += n;
                    }
                    files++;
                }
            } catch (IOException | RuntimeException e) {
                // a file gone or unreadable: its insert will say so
            }
        }
    }
}
