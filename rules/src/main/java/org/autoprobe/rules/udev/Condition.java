package org.autoprobe.rules.udev;

/**
 * One match key of a rule. {@link #rank()} is udev's evaluation order (it sorts a rule's tokens
 * by type: ACTION, DEVPATH, KERNEL, ENV, SUBSYSTEM, DRIVER, ATTR, TEST).
 */
sealed interface Condition {
    boolean test(UeventView event, SysfsView sysfs);

    int rank();

    /** The event's own fields. */
    enum Field { ACTION, DEVPATH, KERNEL, SUBSYSTEM, DRIVER }

    /** {@code ACTION}, {@code DEVPATH}, {@code KERNEL}, {@code SUBSYSTEM}, {@code DRIVER}. */
    record FieldMatch(Field field, StringMatcher matcher) implements Condition {
        @Override
        public boolean test(UeventView event, SysfsView sysfs) {
            switch (field) {
                case ACTION:
                    return matcher.test(event.action());
                case DEVPATH: {
                    boolean r = matcher.test(event.devpath());
                    event.nameTested("DEVPATH", matcher.spec(), r);
                    return r;
                }
                case KERNEL: {
                    boolean r = matcher.test(event.kernel());
                    event.nameTested("KERNEL", matcher.spec(), r);
                    return r;
                }
                case SUBSYSTEM:
                    return matcher.test(event.subsystem());
                default:
                    String driver = event.driver();
                    if (driver == null && event.devpath() != null) {
                        driver = sysfs.attribute(event.devpath(), "driver");
                    }
                    return matcher.test(driver);
            }
        }

        @Override
        public int rank() {
            switch (field) {
                case ACTION: return 0;
                case DEVPATH: return 1;
                case KERNEL: return 2;
                case SUBSYSTEM: return 8;
                default: return 9;
            }
        }
    }

    /** {@code ENV{key}}: a missing property counts as empty. */
    record EnvMatch(String key, StringMatcher matcher) implements Condition {
        @Override
        public boolean test(UeventView event, SysfsView sysfs) {
            return matcher.test(event.property(key));
        }

        @Override
        public int rank() {
            return 5;
        }
    }

    /**
     * {@code ATTR{file}}: the device's sysfs file; or, with {@code [subsystem/sysname]file}, another
     * device's. An unreadable file of the device fails the match whatever the operator; an
     * unreadable file of the other device reads as empty, a missing other device fails.
     * Trailing whitespace is dropped unless the value's first alternative ends in whitespace.
     */
    record AttrMatch(String subsystem, String sysname, String file, StringMatcher matcher, boolean trim)
            implements Condition {
        @Override
        public boolean test(UeventView event, SysfsView sysfs) {
            String value;
            if (subsystem != null) {
                String devpath = sysfs.devpathOf(subsystem, sysname);
                if (devpath == null) {
                    return false;
                }
                value = sysfs.attribute(devpath, file);
                if (value == null) {
                    value = "";
                }
            } else {
                String devpath = event.devpath();
                value = devpath == null ? null : sysfs.attribute(devpath, file);
                if (value == null) {
                    return false;
                }
            }
            return matcher.test(trim ? trimTrailing(value) : value);
        }

        @Override
        public int rank() {
            return 10;
        }

        private static String trimTrailing(String s) {
            int end = s.length();
            while (end > 0 && isCSpace(s.charAt(end - 1))) {
                end--;
            }
            return end == s.length() ? s : s.substring(0, end);
        }

        private static boolean isCSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
        }
    }

    /**
     * {@code TEST{mode}=="path"}: the path exists (and, with a mode, has one of its bits). The path
     * is absolute, or {@code [subsystem/sysname]rest} (another device's directory), or relative to
     * the device's directory; a {@code [...]} that names no device is taken as a relative path, as
     * udev does.
     */
    record TestMatch(String path, String subsystem, String sysname, String rest, int mode, boolean negate)
            implements Condition {
        @Override
        public boolean test(UeventView event, SysfsView sysfs) {
            int found;
            if (path.startsWith("/")) {
                found = sysfs.mode(null, path);
            } else {
                String other = subsystem == null ? null : sysfs.devpathOf(subsystem, sysname);
                if (other != null) {
                    found = sysfs.mode(other, rest);
                } else if (event.devpath() != null) {
                    found = sysfs.mode(event.devpath(), path);
                } else {
                    found = -1;
                }
            }
            boolean match = found >= 0 && (mode < 0 || (found & mode) != 0);
            return match != negate;
        }

        @Override
        public int rank() {
            return 17;
        }
    }
}
