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
        DRIVER,
        /**
         * A rule's test of the device's name or path ({@code KERNEL}, {@code DEVPATH}): {@code first} is
         * the device's devpath, {@code second} the key and the test ({@code KERNEL ==-mtd*ro}: see
         * {@link org.autoprobe.rules.udev.NameCondition#test}), the result {@code 1} or {@code 0}.
         * Replayed for the devpath in {@code first}, so a plan's device found under another name
         * (a USB bus numbered otherwise) is taken only if every such test answers the same.
         */
        NAME_TEST,
        /**
         * A rule's use of the device's name or path as a value ({@code %k}, {@code %n}, {@code %p},
         * {@code ENV{DEVPATH}}): {@code second} is {@code kernel}, {@code number} or {@code devpath}.
         */
        NAME_VALUE
    }

    public SysfsRead {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(second, "second");
    }

    /** What the same read gives now, as text (null for null). */
    String replay(SysfsView sysfs) {
        return switch (kind) {
            case ATTRIBUTE -> sysfs.attribute(first, second);
            case MODE -> Integer.toString(sysfs.mode(first, second));
            case DEVPATH_OF -> sysfs.devpathOf(first, second);
            case DRIVER -> ueventDriver(sysfs.attribute(first, "uevent"));
            case NAME_TEST -> nameTest(first, second);
            case NAME_VALUE -> org.autoprobe.rules.udev.NameCondition.value(second, first);
        };
    }

    /** A {@link Kind#NAME_TEST}'s answer for {@code devpath}; null (never a result) when the test is not one. */
    private static String nameTest(String devpath, String test) {
        int sp = test.indexOf(' ');
        if (sp < 0) {
            return null;
        }
        String field = test.substring(0, sp);
        String value = field.equals("KERNEL") ? org.autoprobe.rules.udev.NameCondition.kernelOf(devpath)
                : field.equals("DEVPATH") ? devpath : null;
        if (value == null) {
            return null;
        }
        try {
            return org.autoprobe.rules.udev.NameCondition.test(test.substring(sp + 1), value) ? "1" : "0";
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The same read for a device found at {@code to} instead of {@code from}: a read of {@code from}
     * or of a file or directory below it is made of the same place below {@code to}; others (another
     * device's, an absolute path's) stay as they are.
     */
    public SysfsRead movedTo(String from, String to) {
        if (first == null || kind == Kind.DEVPATH_OF) {
            return this;
        }
        if (first.equals(from)) {
            return new SysfsRead(kind, to, second, result);
        }
        if (first.startsWith(from) && first.charAt(from.length()) == '/') {
            return new SysfsRead(kind, to + first.substring(from.length()), second, result);
        }
        return this;
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
