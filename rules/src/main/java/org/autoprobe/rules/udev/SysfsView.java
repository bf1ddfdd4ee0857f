package org.autoprobe.rules.udev;

import java.nio.file.Path;

/**
 * What the rules read from sysfs: {@code ATTR{file}} values and {@code TEST} file checks. Paths
 * called "devpath" are below the sysfs root and start with {@code /}, as in {@link UeventView}.
 */
public interface SysfsView {
    /**
     * The value of {@code <sys><devpath>/<file>} as udev reads it: the file's text with trailing
     * newlines removed; for a {@code driver}, {@code subsystem} or {@code module} symbolic link,
     * the last component of its target. {@code null} when the file is missing, a directory, another
     * symbolic link, or unreadable.
     */
    String attribute(String devpath, String file);

    /**
     * The mode ({@code st_mode}, symbolic links followed) of {@code <sys><devpath>/<file>}, or of the
     * absolute path {@code file} when {@code devpath} is {@code null}; -1 when it does not exist.
     * An empty {@code file} names the device directory itself.
     */
    int mode(String devpath, String file);

    /**
     * The devpath of the device named by udev's {@code [subsystem/sysname]} notation (e.g.
     * {@code [module/sg]} is {@code /module/sg} when that directory exists), or {@code null}.
     */
    String devpathOf(String subsystem, String sysname);

    /** The real sysfs mounted at {@code sysRoot} (normally {@code /sys}). */
    static SysfsView at(Path sysRoot) {
        return new SysfsDirectory(sysRoot);
    }
}
