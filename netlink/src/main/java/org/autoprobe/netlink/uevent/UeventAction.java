package org.autoprobe.netlink.uevent;

/** The actions the kernel announces ({@code lib/kobject_uevent.c}'s table), matched without allocating. */
public enum UeventAction {
    ADD("add"),
    REMOVE("remove"),
    CHANGE("change"),
    MOVE("move"),
    ONLINE("online"),
    OFFLINE("offline"),
    BIND("bind"),
    UNBIND("unbind");

    private static final UeventAction[] ALL = values();

    private final String text;
    private final byte[] bytes;

    UeventAction(String text) {
        this.text = text;
        this.bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The word as the kernel writes it, {@code add}. */
    public String text() {
        return text;
    }

    /** The action spelled by {@code buf[from, to)}, or null for a word the kernel never sends. */
    static UeventAction of(byte[] buf, int from, int to) {
        int n = to - from;
        for (UeventAction a : ALL) {
            byte[] b = a.bytes;
            if (b.length != n) {
                continue;
            }
            int i = 0;
            while (i < n && buf[from + i] == b[i]) {
                i++;
            }
            if (i == n) {
                return a;
            }
        }
        return null;
    }

    /** The action named {@code text}, or null. */
    static UeventAction fromText(String text) {
        for (UeventAction a : ALL) {
            if (a.text.equals(text)) {
                return a;
            }
        }
        return null;
    }
}
