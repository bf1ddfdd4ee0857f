package org.autoprobe.daemon.pipeline;

import java.util.Objects;

import org.autoprobe.rules.udev.SysfsView;

/**
 * One read the rules made of sysfs while deciding an event ({@code ATTR}, {@code TEST}, a
 * {@code [subsystem/sysname]} lookup), with what it gave. The boot plan keeps them: a device's
 * decision may be taken from the plan only if every read gives the same answer again.
 *
 * @param kind   which {@link SysfsView} call
 * @param first  its first argument (a devpath or subsystem; null allowed for {@link Kind#MODE})
 * @param second its second argument (a file or sysname)
 * @param result what it returned, as text; null for a null answer
 */
public record SysfsRead(Kind kind, String first, String second, String result) {
    /** The {@link SysfsView} call. */
    public enum Kind {
        ATTRIBUTE,
        MODE,
        DEVPATH_OF,
        /**
         * The device's {@code DRIVER} as the event carried it (the {@code DRIVER=} line of its
         * {@code uevent} file for a coldplug event): the plan compares {@code uevent} contents without
         * that line, which a driver's binding changes, so a rule that looks at it notes it here.
         */
        DRIVER
    }

    public SysfsRead {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(second, "second");
    }

    /** What the same read gives now, as text (null for null). */
    public String replay(SysfsView sysfs) {
        return switch (kind) {
            case ATTRIBUTE -> sysfs.attribute(first, second);
            case MODE -> Integer.toString(sysfs.mode(first, second));
            case DEVPATH_OF -> sysfs.devpathOf(first, second);
            case DRIVER -> ueventDriver(sysfs.attribute(first, "uevent"));
        };
    }

    /** The value of the {@code DRIVER=} line of a {@code uevent} file's text, or null. */
    static String ueventDriver(String uevent) {
        if (uevent == null) {
            return null;
        }
        for (String line : uevent.split("\n")) {
            if (line.startsWith("DRIVER=")) {
                return line.substring("DRIVER=".length());
            }
        }
        return null;
    }

    /** Whether the same read gives the same answer now. */
    public boolean holds(SysfsView sysfs) {
        return Objects.equals(result, replay(sysfs));
    }
}
