package org.autoprobe.daemon.pipeline;

import org.autoprobe.netlink.uevent.UeventSlot;
import org.autoprobe.rules.udev.UeventView;

/**
 * A ring slot as the rules see it. Strings come from an interner, so an event whose texts were
 * seen before costs no allocation. One view per rules stage, pointed at each event in turn.
 */
final class SlotView implements UeventView {
    private final StringInterner strings;
    private final Window window = new Window();
    private UeventSlot slot;
    private String devpath;

    SlotView(StringInterner strings) {
        this.strings = strings;
    }

    void reset(UeventSlot s) {
        this.slot = s;
        this.devpath = null;
    }

    @Override
    public String action() {
        return slot.action().text();
    }

    @Override
    public String devpath() {
        if (devpath == null) {
            devpath = strings.intern(slot.devpath());
        }
        return devpath;
    }

    @Override
    public String subsystem() {
        return strings.intern(slot.subsystem());
    }

    @Override
    public String driver() {
        return property("DRIVER");
    }

    @Override
    public String property(String key) {
        int i = slot.indexOf(key);
        return i < 0 ? null : strings.intern(slot.value(i));
    }

    @Override
    public String kernel() {
        String path = devpath();
        int from = path.lastIndexOf('/') + 1;
        String name = strings.intern(window.set(path, from, path.length()));
        return name.indexOf('!') < 0 ? name : name.replace('!', '/');
    }

    /** Whether the event's subsystem is {@code name}, without making a String. */
    boolean subsystemIs(String name) {
        CharSequence s = slot.subsystem();
        if (s.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (s.charAt(i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A reusable window on part of a String. */
    private static final class Window implements CharSequence {
        private String text;
        private int from;
        private int to;

        Window set(String t, int f, int e) {
            text = t;
            from = f;
            to = e;
            return this;
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return text.charAt(from + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(from + start, from + end);
        }

        @Override
        public String toString() {
            return text.substring(from, to);
        }
    }
}
