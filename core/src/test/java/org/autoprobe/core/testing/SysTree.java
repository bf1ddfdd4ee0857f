package org.autoprobe.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.autoprobe.core.root.SystemRoot;

/**
 * The tests' one writer of fixture {@code /sys} (modules, devices, buses, drivers) and {@code /proc}
 * trees under a root: {@code sys/} and {@code proc/} are beneath it.
 */
public final class SysTree {
    private final Path root;
    private final Path sys;

    /** A tree whose {@code /sys} is {@code root/sys}. */
    public SysTree(Path root) {
        this(root, root.resolve("sys"));
    }

    private SysTree(Path root, Path sys) {
        this.root = root;
        this.sys = sys;
    }

    /** A tree whose {@code /sys} is the directory {@code sys} itself, whatever its name (its parent is the root). */
    public static SysTree ofSys(Path sys) {
        return new SysTree(sys.toAbsolutePath().getParent(), sys);
    }

    public Path root() {
        return root;
    }

    public Path sys() {
        return sys;
    }

    /** The root as a SystemRoot: its {@code sys} and {@code proc} (for {@link #ofSys}, {@code proc} beside the given directory). */
    public SystemRoot systemRoot() {
        return new SystemRoot(sys, root.resolve("proc"));
    }

    /** A loaded module: initstate, refcnt, coresize and one holders/ entry per holder. */
    public SysTree loaded(String name, String initstate, long coresize, int refcnt, String... holders) throws IOException {
        Path d = Files.createDirectories(sys.resolve("module").resolve(name));
        Files.writeString(d.resolve("initstate"), initstate + "\n");
        Files.writeString(d.resolve("refcnt"), refcnt + "\n");
        Files.writeString(d.resolve("coresize"), coresize + "\n");
        Path h = Files.createDirectories(d.resolve("holders"));
        for (String holder : holders) {
            Files.createDirectories(h.resolve(holder));
        }
        return this;
    }

    /** A module directory with only its initstate; none ({@code null}) is a builtin's bare directory. */
    public SysTree module(String name, String initstate) throws IOException {
        Path d = Files.createDirectories(sys.resolve("module").resolve(name));
        if (initstate != null) {
            Files.writeString(d.resolve("initstate"), initstate + "\n");
        }
        return this;
    }

    /** A builtin module with parameters: a directory without initstate. */
    public SysTree builtin(String name, String param, String value) throws IOException {
        Path p = Files.createDirectories(sys.resolve("module").resolve(name).resolve("parameters"));
        Files.writeString(p.resolve(param), value + "\n");
        return this;
    }

    /** Any file under the root, with its directories. */
    public SysTree file(String relative, String text) throws IOException {
        Path f = root.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return this;
    }

    /** A device directory {@code /sys<devpath>} with its {@code uevent} file; answers the directory. */
    public Path device(String devpath, String uevent) throws IOException {
        return device(devpath, null, uevent);
    }

    /** A device as {@link #device(String, String)}, on bus {@code subsystem} (a link to sys/bus/...) unless null. */
    public Path device(String devpath, String subsystem, String uevent) throws IOException {
        Path d = Files.createDirectories(sys.resolve(devpath.substring(1)));
        Files.writeString(d.resolve("uevent"), uevent);
        if (subsystem != null) {
            subsystem(devpath, subsystem);
        }
        return d;
    }

    /** Links a device to {@code sys/bus/<name>} (made if missing) as its subsystem, unless it has one. */
    public SysTree subsystem(String devpath, String name) throws IOException {
        Path d = sys.resolve(devpath.substring(1));
        Path bus = Files.createDirectories(sys.resolve("bus").resolve(name));
        if (!Files.exists(d.resolve("subsystem"), LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(d.resolve("subsystem"), d.relativize(bus));
        }
        return this;
    }

    /** Links a device to {@code sys/bus/<bus>/drivers/<name>} (made if missing) as its driver. */
    public SysTree driver(String devpath, String bus, String name) throws IOException {
        Path d = sys.resolve(devpath.substring(1));
        Path drv = Files.createDirectories(sys.resolve("bus").resolve(bus).resolve("drivers").resolve(name));
        Files.createSymbolicLink(d.resolve("driver"), d.relativize(drv));
        return this;
    }
}
