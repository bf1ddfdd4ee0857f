package org.autoprobe.netlink.uevent;

/**
 * Who sent a message on the uevent socket, as far as the kernel's metadata tells. Only
 * {@link #KERNEL} is accepted: the rest is what a local process forging uevents looks like
 * (CVE-2009-1185: udev once trusted a unicast message from any process).
 */
public enum SenderVerdict {
    /** From port 0 on the kernel's uevent group with root credentials. */
    KERNEL("kernel"),
    /** Sent straight to our port (group 0). */
    UNICAST("unicast to our port"),
    /** Sent to another multicast group than the kernel's. */
    WRONG_GROUP("not the kernel's uevent group"),
    /** Sent to the kernel's group, but from a process's socket (source port not 0). */
    NOT_KERNEL_PORT("source port is not the kernel's"),
    /** No {@code SCM_CREDENTIALS} came with it. */
    NO_CREDENTIALS("no sender credentials"),
    /** The credentials are not uid 0. */
    NOT_ROOT("sender is not uid 0");

    private final String text;

    SenderVerdict(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The kernel's uevent multicast group (its bit in {@code nl_groups}). */
    static final int KERNEL_GROUP_MASK = 1;

    /**
     * Judges a message by its netlink source address and credentials.
     *
     * @param port        source {@code nl_pid}
     * @param groups      source {@code nl_groups} (a mask; 0 for unicast)
     * @param credentials whether {@code SCM_CREDENTIALS} came with it
     * @param uid         the credentials' uid (ignored without credentials)
     */
    static SenderVerdict judge(int port, int groups, boolean credentials, int uid) {
        if (groups == 0) {
            return UNICAST;
        }
        if (groups != KERNEL_GROUP_MASK) {
            return WRONG_GROUP;
        }
        if (port != 0) {
            return NOT_KERNEL_PORT;
        }
        if (!credentials) {
            return NO_CREDENTIALS;
        }
        return uid == 0 ? KERNEL : NOT_ROOT;
    }

    /** Judges the sender recorded in {@code slot}. */
    static SenderVerdict judge(UeventSlot slot) {
        return judge(slot.senderPort(), slot.senderGroups(), slot.hasCredentials(), slot.credentialsUid());
    }
}
