package org.autoprobe.daemon.pipeline;

import java.util.List;

import org.autoprobe.rules.udev.UeventView;

/**
 * A {@link UeventView} that answers from another one and notes each look at the event's
 * {@code DRIVER} (as a {@link SysfsRead.Kind#DRIVER} read): the boot plan compares a device's
 * {@code uevent} without its {@code DRIVER} line, so a decision that used it must say so.
 */
final class RecordingUeventView implements UeventView {
    private UeventView inner;
    private List<SysfsRead> reads;

    UeventView start(UeventView view, List<SysfsRead> into) {
        this.inner = view;
        this.reads = into;
        return this;
    }

    @Override
    public String action() {
        return inner.action();
    }

    @Override
    public String devpath() {
        return inner.devpath();
    }

    @Override
    public String subsystem() {
        return inner.subsystem();
    }

    @Override
    public String driver() {
        String d = inner.driver();
        reads.add(new SysfsRead(SysfsRead.Kind.DRIVER, inner.devpath(), "DRIVER", d));
        return d;
    }

    @Override
    public String property(String key) {
        String v = inner.property(key);
        if ("DRIVER".equals(key)) {
            reads.add(new SysfsRead(SysfsRead.Kind.DRIVER, inner.devpath(), "DRIVER", v));
        }
        return v;
    }

    @Override
    public String kernel() {
        return inner.kernel();
    }
}
