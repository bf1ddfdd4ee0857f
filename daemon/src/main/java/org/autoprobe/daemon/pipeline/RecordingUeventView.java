package org.autoprobe.daemon.pipeline;

import java.util.List;

import org.autoprobe.rules.udev.UeventView;

/**
 * A {@link UeventView} that answers from another one and notes each look at the event's
 * {@code DRIVER} (as a {@link SysfsRead.Kind#DRIVER} read): the boot plan compares a device's
 * {@code uevent} without its {@code DRIVER} line, so a decision that used it must say so. It notes
 * the rules' tests and uses of the device's name and path too ({@link SysfsRead.Kind#NAME_TEST},
 * {@link SysfsRead.Kind#NAME_VALUE}): the plan may take a device found under another name.
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
        } else if ("DEVPATH".equals(key)) {
            nameUsed("devpath", v);
        }
        return v;
    }

    @Override
    public void nameTested(String field, String spec, boolean result) {
        reads.add(new SysfsRead(SysfsRead.Kind.NAME_TEST, inner.devpath(), field + " " + spec, result ? "1" : "0"));
    }

    @Override
    public void nameUsed(String what, String value) {
        reads.add(new SysfsRead(SysfsRead.Kind.NAME_VALUE, inner.devpath(), what, value));
    }

    @Override
    public String kernel() {
        return inner.kernel();
    }
}
