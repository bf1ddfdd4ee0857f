package org.autoprobe.rules.udev;

import java.util.HashMap;
import java.util.Map;

/** A sysfs for tests: attribute values and file modes by path, devices by [subsystem/sysname]. */
final class FakeSysfs implements SysfsView {
    final Map<String, String> values = new HashMap<>();
    final Map<String, Integer> modes = new HashMap<>();
    final Map<String, String> devices = new HashMap<>();
    int reads;

    FakeSysfs value(String path, String value) {
        values.put(path, value);
        return file(path, 0100444);
    }

    FakeSysfs file(String path, int mode) {
        modes.put(path, mode);
        return this;
    }

    FakeSysfs device(String subsystem, String sysname, String devpath) {
        devices.put(subsystem + "/" + sysname, devpath);
        return file(devpath, 040755);
    }

    @Override
    public String attribute(String devpath, String file) {
        reads++;
        return values.get(devpath + "/" + file);
    }

    @Override
    public int mode(String devpath, String file) {
        reads++;
        String path = devpath == null ? file : file.isEmpty() ? devpath : devpath + "/" + file;
        return modes.getOrDefault(path, -1);
    }

    @Override
    public String devpathOf(String subsystem, String sysname) {
        return devices.get(subsystem + "/" + sysname);
    }
}
