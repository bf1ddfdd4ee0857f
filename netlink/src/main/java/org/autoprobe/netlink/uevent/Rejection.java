package org.autoprobe.netlink.uevent;

/** Why a message that claims to be a kernel uevent was not accepted as one. */
public enum Rejection {
    /** Under 32 bytes: too short to be any uevent (udev's floor). */
    TOO_SHORT("shorter than 32 bytes"),
    /** Longer than the kernel can send, more than 2048 bytes of variables, or more than 64 of them. */
    OVERSIZE("longer than a kernel uevent can be"),
    /** The socket cut the message (MSG_TRUNC): it did not fit the receive buffer. */
    TRUNCATED("truncated by the socket"),
    /** The message does not end with a NUL byte. */
    UNTERMINATED("not NUL-terminated"),
    /** The first string is not {@code ACTION@/DEVPATH}. */
    BAD_HEADER("header is not ACTION@/DEVPATH"),
    /** The header's action is not one the kernel sends. */
    UNKNOWN_ACTION("unknown action"),
    /** An empty string between two NULs. */
    EMPTY_ENTRY("empty variable"),
    /** A variable without {@code =}. */
    NO_EQUALS("variable without '='"),
    /** A variable with an empty name or a name byte outside printable ASCII. */
    BAD_KEY("bad variable name"),
    /** ACTION, DEVPATH, SUBSYSTEM or SEQNUM given twice. */
    DUPLICATE_KEY("ACTION, DEVPATH, SUBSYSTEM or SEQNUM repeated"),
    /** ACTION, DEVPATH, SUBSYSTEM or SEQNUM missing. */
    MISSING_KEY("ACTION, DEVPATH, SUBSYSTEM or SEQNUM missing"),
    /** ACTION or DEVPATH disagrees with the header. */
    HEADER_MISMATCH("ACTION or DEVPATH disagrees with the header"),
    /** DEVPATH not absolute, or with an empty, {@code .} or {@code ..} component. */
    BAD_DEVPATH("DEVPATH is not a clean absolute path"),
    /** SEQNUM not a positive decimal number. */
    BAD_SEQNUM("SEQNUM is not a positive decimal number");

    private final String text;

    Rejection(String text) {
        this.text = text;
    }

    /** What is wrong, for a log line. */
    public String text() {
        return text;
    }
}
