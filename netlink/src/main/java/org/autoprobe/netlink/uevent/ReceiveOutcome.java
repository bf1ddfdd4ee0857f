package org.autoprobe.netlink.uevent;

/** What one receive produced. Only {@link #EVENT} leaves a usable event in the slot. */
public enum ReceiveOutcome {
    /** A kernel uevent, verified and parsed into the slot. */
    EVENT,
    /** Not from the kernel (wrong port, group or credentials): dropped; see {@link UeventSlot#senderVerdict()}. */
    DROPPED_SENDER,
    /** From the kernel's group but not a well-formed uevent; see {@link UeventSlot#rejection()}. */
    MALFORMED,
    /** A libudev-format message (udevd's re-broadcast): not ours to act on. */
    LIBUDEV,
    /** The kernel dropped messages (ENOBUFS): resynchronise from sysfs. */
    OVERFLOW,
    /** Nothing arrived within the timeout. */
    TIMEOUT,
    /** The source was closed. */
    CLOSED
}
