package org.autoprobe.netlink.uevent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds uevent messages the way the kernel lays them out. */
final class Messages {
    private Messages() {
    }

    /** {@code header\0} then each variable followed by NUL. */
    static byte[] raw(String header, String... vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        for (String v : vars) {
            out.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** A kernel uevent with the four variables every one has, then {@code extra}. */
    static byte[] kernel(String action, String devpath, String subsystem, long seqnum, String... extra) {
        String[] vars = new String[extra.length + 4];
        vars[0] = "ACTION=" + action;
        vars[1] = "DEVPATH=" + devpath;
        vars[2] = "SUBSYSTEM=" + subsystem;
        System.arraycopy(extra, 0, vars, 3, extra.length);
        vars[vars.length - 1] = "SEQNUM=" + seqnum;
        return raw(action + "@" + devpath, vars);
    }

    /** A real message captured on this project's test machine ({@code echo change > .../serial8250/uevent}). */
    static byte[] serial8250() {
        return raw("change@/devices/platform/serial8250", "ACTION=change", "DEVPATH=/devices/platform/serial8250",
                "SUBSYSTEM=platform", "SYNTH_UUID=0", "DRIVER=serial8250", "MODALIAS=platform:serial8250",
                "SEQNUM=839");
    }
}
