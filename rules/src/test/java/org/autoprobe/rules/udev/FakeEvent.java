package org.autoprobe.rules.udev;

import java.util.HashMap;
import java.util.Map;

/** A uevent for tests: ACTION, DEVPATH, SUBSYSTEM, DRIVER and any other property from a map. */
final class FakeEvent implements UeventView {
    private final Map<String, String> props = new HashMap<>();

    static FakeEvent of(String action, String devpath, String... keyValues) {
        FakeEvent e = new FakeEvent();
        e.props.put("ACTION", action);
        e.props.put("DEVPATH", devpath);
        for (int i = 0; i < keyValues.length; i += 2) {
            e.props.put(keyValues[i], keyValues[i + 1]);
        }
        return e;
    }

    /** An event whose properties, ACTION and DEVPATH included, are {@code props}. */
    static FakeEvent of(Map<String, String> props) {
        FakeEvent e = new FakeEvent();
        e.props.putAll(props);
        return e;
    }

    @Override
    public String action() {
        return props.get("ACTION");
    }

    @Override
    public String devpath() {
        return props.get("DEVPATH");
    }

    @Override
    public String subsystem() {
        return props.get("SUBSYSTEM");
    }

    @Override
    public String driver() {
        return props.get("DRIVER");
    }

    @Override
    public String property(String key) {
        return props.get(key);
    }
}
