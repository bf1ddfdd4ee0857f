package org.autoprobe.daemon.coldplug;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.autoprobe.netlink.sysfs.SysfsDevice;

/**
 * Writes the {@code add} uevent the kernel would send for a device, from what its {@code uevent}
 * file says: {@code add@DEVPATH\0ACTION=add\0DEVPATH=..\0SUBSYSTEM=..\0} then the file's variables
 * and a SEQNUM of our own (the parser wants one; coldplug events are told apart by their origin).
 */
final class SyntheticUevent {
    private SyntheticUevent() {
    }

    /**
     * Encodes into {@code buf}.
     *
     * @return the length, or -1 when it does not fit (the kernel's own limit is the buffer's)
     */
    static int encode(SysfsDevice device, long seqnum, byte[] buf) {
        int[] at = {0};
        boolean ok = put(buf, at, "add@" + device.devpath())
                && put(buf, at, "ACTION=add")
                && put(buf, at, "DEVPATH=" + device.devpath())
                && put(buf, at, "SUBSYSTEM=" + device.subsystem());
        for (Map.Entry<String, String> p : device.properties().entrySet()) {
            String k = p.getKey();
            if (!ok) {
                break;
            }
            if (k.equals("ACTION") || k.equals("DEVPATH") || k.equals("SUBSYSTEM") || k.equals("SEQNUM")) {
                continue;
            }
            ok = put(buf, at, k + "=" + p.getValue());
        }
        ok = ok && put(buf, at, "SEQNUM=" + seqnum);
        return ok ? at[0] : -1;
    }

    private static boolean put(byte[] buf, int[] at, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (at[0] + b.length + 1 > buf.length) {
            return false;
        }
        System.arraycopy(b, 0, buf, at[0], b.length);
        at[0] += b.length;
        buf[at[0]++] = 0;
        return true;
    }
}
