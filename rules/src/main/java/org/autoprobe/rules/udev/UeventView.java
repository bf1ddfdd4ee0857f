package org.autoprobe.rules.udev;

/**
 * What the rules see of one uevent. The daemon adapts its ring slot to this; tests use a map.
 * Values are the uevent's own strings; {@code null} means "not in the event".
 */
public interface UeventView {
    /** {@code add}, {@code remove}, {@code change}, {@code bind}, ... */
    String action();

    /** The device path below the sysfs root, starting with {@code /} (e.g. {@code /devices/pci0000:00/...}). */
    String devpath();

    /** The {@code SUBSYSTEM} of the event, or {@code null}. */
    String subsystem();

    /** The {@code DRIVER} of the event, or {@code null} (the rules then look at sysfs' {@code driver} link). */
    String driver();

    /** The value of the event property {@code key} ({@code MODALIAS}, {@code DEVTYPE}, ...), or {@code null}. */
    String property(String key);

    /**
     * The kernel name of the device (udev's {@code KERNEL}, its "sysname"): the last component of
     * {@link #devpath()}, with {@code !} turned into {@code /}. Adapters may cache it.
     */
    default String kernel() {
        return NameCondition.kernelOf(devpath());
    }

    /**
     * Told by the rules after a {@code KERNEL} or {@code DEVPATH} key was tested against this event:
     * {@code field} is {@code KERNEL} or {@code DEVPATH}, {@code spec} the test as
     * {@link NameCondition#test} takes it, {@code result} its answer. Views that do not record
     * ignore it.
     */
    default void nameTested(String field, String spec, boolean result) {
    }

    /**
     * Told by the rules when a command used the device's name or path ({@code what}: {@code kernel},
     * {@code number} or {@code devpath}, as {@link NameCondition#value} takes it) and got
     * {@code value}. Views that do not record ignore it.
     */
    default void nameUsed(String what, String value) {
    }
}
