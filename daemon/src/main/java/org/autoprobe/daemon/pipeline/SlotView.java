package org.autoprobe.daemon.pipeline;

import org.autoprobe.netlink.uevent.UeventSlot;
import org.autoprobe.rules.udev.UeventView;

/**
 * A ring slot as the rules see it. Strings come from an interner, so an event whose texts were
 * seen before costs no allocation; each is looked up once per event (the rules ask for the
 * subsystem, a property, the kernel name several times). One view per rules stage, pointed at
 * each event in turn.
 */
final class SlotView implements UeventView {
    /** Properties remembered per event: the rules' keys are a handful of constant Strings. */
    private static final int MEMO = 8;
    /** Stands for "not in the event" in the memo (compared by identity). */
    private static final String MISSING = new String("missing");

    private final StringInterner strings;
    /** A value copied out of the slot, for the interner. */
    private final byte[] scratch = new byte[UeventSlot.MAX_MESSAGE_BYTES];
    private final String[] memoKeys = new String[MEMO];
    private final String[] memoValues = new String[MEMO];
    private int memoSize;
    private UeventSlot slot;
    private String devpath;
    private String subsystem;
    private String kernel;

    SlotView(StringInterner strings) {
        this.strings = strings;
    }

    void reset(UeventSlot s) {
        this.slot = s;
        this.devpath = null;
        this.subsystem = null;
        this.kernel = null;
        for (int i = 0; i < memoSize; i++) {
            memoKeys[i] = null;
            memoValues[i] = null;
        }
        memoSize = 0;
    }

    @Override
    public String action() {
        return slot.action().text();
    }

    @Override
    public String devpath() {
        if (devpath == null) {
            devpath = value(slot.devpathIndex());
        }
        return devpath;
    }

    @Override
    public String subsystem() {
        if (subsystem == null) {
            int i = slot.subsystemIndex();
            subsystem = i < 0 ? "" : value(i);
        }
        return subsystem;
    }

    @Override
    public String driver() {
        return property("DRIVER");
    }

    @Override
    public String property(String key) {
        for (int m = 0; m < memoSize; m++) {
            if (memoKeys[m] == key) {
                String v = memoValues[m];
                return v == MISSING ? null : v;
            }
        }
        int i = slot.indexOf(key);
        String v = i < 0 ? null : value(i);
        if (memoSize < MEMO) {
            memoKeys[memoSize] = key;
            memoValues[memoSize++] = v == null ? MISSING : v;
        }
        return v;
    }

    @Override
    public String kernel() {
        if (kernel == null) {
            byte[] b = scratch;
            int n = slot.copyValue(slot.devpathIndex(), b);
            int from = n;
            while (from > 0 && b[from - 1] != '/') {
                from--;
            }
            // udev's sysname: a '!' in the last component stands for '/'
            for (int i = from; i < n; i++) {
                if (b[i] == '!') {
                    b[i] = '/';
                }
            }
            kernel = strings.intern(b, from, n);
        }
        return kernel;
    }

    private String value(int i) {
        return strings.intern(scratch, 0, slot.copyValue(i, scratch));
    }

    /** Whether the event's subsystem is {@code name}, without making a String. */
    boolean subsystemIs(String name) {
        int i = slot.subsystemIndex();
        return i < 0 ? name.isEmpty() : slot.valueEquals(i, name);
    }
}
