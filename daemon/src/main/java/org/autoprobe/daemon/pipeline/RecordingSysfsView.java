package org.autoprobe.daemon.pipeline;

import java.util.List;

import org.autoprobe.rules.udev.SysfsView;

/** A {@link SysfsView} that answers from another one and notes each read (one event at a time). */
final class RecordingSysfsView implements SysfsView {
    private SysfsView inner;
    private List<SysfsRead> reads;

    /** Starts an event: reads go to {@code into}. */
    SysfsView start(SysfsView view, List<SysfsRead> into) {
        this.inner = view;
        this.reads = into;
        return this;
    }

    @Override
    public String attribute(String devpath, String file) {
        String v = inner.attribute(devpath, file);
        reads.add(new SysfsRead(SysfsRead.Kind.ATTRIBUTE, devpath, file, v));
        return v;
    }

    @Override
    public int mode(String devpath, String file) {
        int m = inner.mode(devpath, file);
        reads.add(new SysfsRead(SysfsRead.Kind.MODE, devpath, file, Integer.toString(m)));
        return m;
    }

    @Override
    public String devpathOf(String subsystem, String sysname) {
        String d = inner.devpathOf(subsystem, sysname);
        reads.add(new SysfsRead(SysfsRead.Kind.DEVPATH_OF, subsystem, sysname, d));
        return d;
    }
}
