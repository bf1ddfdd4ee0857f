package org.autoprobe.netlink.sysfs;

import java.util.Map;
import java.util.Optional;

/**
 * One device directory under {@code /sys/devices}, as its {@code uevent} file describes it.
 *
 * @param devpath    the kernel's DEVPATH, e.g. {@code /devices/platform/serial8250}
 * @param subsystem  the name the {@code subsystem} link points to, or empty
 * @param driver     the name the {@code driver} link points to (the bound driver), or empty
 * @param properties the {@code KEY=VALUE} lines of its {@code uevent} file, in file order
 */
public record SysfsDevice(String devpath, String subsystem, String driver, Map<String, String> properties) {
    public SysfsDevice {
        properties = Map.copyOf(properties);
    }

    /** The device's MODALIAS property, if it has one. */
    public Optional<String> modalias() {
        return Optional.ofNullable(properties.get("MODALIAS"));
    }
}
