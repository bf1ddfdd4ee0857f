package org.autoprobe.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Kernel-format uevent messages for tests. */
public final class Uevents {
    private static long seqnum = 1000;

    private Uevents() {
    }

    /** {@code ACTION@DEVPATH\0ACTION=..\0DEVPATH=..\0SUBSYSTEM=..\0SEQNUM=..\0} then the extra {@code K=V}s. */
    public static synchronized byte[] message(String action, String devpath, String subsystem, String... vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, action + "@" + devpath);
        put(out, "ACTION=" + action);
        put(out, "DEVPATH=" + devpath);
        put(out, "SUBSYSTEM=" + subsystem);
        for (String v : vars) {
            put(out, v);
        }
        put(out, "SEQNUM=" + (++seqnum));
        return out.toByteArray();
    }

    /** An {@code add} with a MODALIAS. */
    public static byte[] add(String devpath, String subsystem, String modalias) {
        return message("add", devpath, subsystem, "MODALIAS=" + modalias);
    }

    private static void put(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
    }
}
