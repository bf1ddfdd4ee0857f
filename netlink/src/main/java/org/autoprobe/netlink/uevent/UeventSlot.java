package org.autoprobe.netlink.uevent;

import java.nio.charset.StandardCharsets;

/**
 * One received uevent, in preallocated storage: the message's bytes, where each variable lies,
 * and who sent it. The same slot is filled again and again (a ring preallocates them), so filling
 * it allocates nothing; the {@link CharSequence} views it hands out are valid until the next fill.
 *
 * <p>Sizes come from the kernel: at most {@value #MAX_VARIABLES} variables in at most
 * {@value #MAX_BODY_BYTES} bytes, after an {@code ACTION@DEVPATH} header whose DEVPATH is itself
 * one of those variables, so a whole message fits {@value #MAX_MESSAGE_BYTES} bytes.
 */
public final class UeventSlot {
    /** Most variables in one kernel uevent ({@code UEVENT_NUM_ENVP}). */
    static final int MAX_VARIABLES = 64;
    /** Most bytes of {@code KEY=VALUE\0} variables in one kernel uevent ({@code UEVENT_BUFFER_SIZE}). */
    static final int MAX_BODY_BYTES = 2048;
    /** Most bytes of a whole kernel uevent: header plus variables. */
    public static final int MAX_MESSAGE_BYTES = 2 * MAX_BODY_BYTES;

    // allocated in this order so that what a parse touches (the spans, the hashes, the start of
    // the bytes) lies together in memory: a ring has thousands of slots
    int length;
    int count;
    /**
     * Where each variable lies, four ints apiece: name start, name end, value start, value end.
     * The parser writes only these (contiguous, a few cache lines); the views below are pointed
     * at a variable when one is asked for.
     */
    final int[] spans = new int[4 * MAX_VARIABLES];
    /** Each name's {@link String#hashCode()}, as the parser computed it. */
    final int[] keyHashes = new int[MAX_VARIABLES];
    final byte[] data = new byte[MAX_MESSAGE_BYTES];
    private final ByteView[] keys = new ByteView[MAX_VARIABLES];
    private final ByteView[] values = new ByteView[MAX_VARIABLES];
    private final ByteView devpath = new ByteView(data);
    int subsystemIndex = -1;
    int devpathIndex = -1;
    UeventAction action;
    long seqnum;
    long seqnumGap;
    Rejection rejection;
    SenderVerdict verdict;

    private int senderPort;
    private int senderGroups;
    private boolean credentials;
    private int credentialsPid;
    private int credentialsUid;
    private int credentialsGid;

    public UeventSlot() {
        for (int i = 0; i < MAX_VARIABLES; i++) {
            keys[i] = new ByteView(data);
            values[i] = new ByteView(data);
        }
    }

    /** Forget the last message (keeps the storage). */
    void clear() {
        length = 0;
        count = 0;
        subsystemIndex = -1;
        devpathIndex = -1;
        action = null;
        seqnum = 0;
        seqnumGap = 0;
        rejection = null;
        verdict = null;
    }

    /**
     * Records who sent the message about to be parsed: the netlink source address and the
     * {@code SCM_CREDENTIALS} the kernel attached (the socket layer calls this).
     *
     * @param port        the source {@code nl_pid}: 0 for the kernel
     * @param groups      the source {@code nl_groups} mask: 1 for the kernel's uevent group, 0 for unicast
     * @param credentials whether an {@code SCM_CREDENTIALS} message came with it
     */
    public void setSender(int port, int groups, boolean credentials, int pid, int uid, int gid) {
        this.senderPort = port;
        this.senderGroups = groups;
        this.credentials = credentials;
        this.credentialsPid = pid;
        this.credentialsUid = uid;
        this.credentialsGid = gid;
    }

    public int senderPort() {
        return senderPort;
    }

    public int senderGroups() {
        return senderGroups;
    }

    public boolean hasCredentials() {
        return credentials;
    }

    public int credentialsPid() {
        return credentialsPid;
    }

    public int credentialsUid() {
        return credentialsUid;
    }

    int credentialsGid() {
        return credentialsGid;
    }

    /** The verdict on the sender of the last message, null before the check ran. */
    public SenderVerdict senderVerdict() {
        return verdict;
    }

    /** Why the last message was refused by the parser; null when it was accepted (or not parsed). */
    public Rejection rejection() {
        return rejection;
    }

    /** Whether the slot holds an accepted kernel uevent. */
    public boolean isEvent() {
        return action != null && rejection == null;
    }

    public UeventAction action() {
        return action;
    }

    /** DEVPATH, e.g. {@code /devices/platform/serial8250} (a view). */
    public CharSequence devpath() {
        int i = devpathIndex;
        devpath.set(i < 0 ? 0 : spans[4 * i + 2], i < 0 ? 0 : spans[4 * i + 3]);
        return devpath;
    }

    /** SUBSYSTEM (a view). */
    public CharSequence subsystem() {
        return subsystemIndex < 0 ? "" : valueView(subsystemIndex);
    }

    /** Which variable is SUBSYSTEM (for {@link #value}, {@link #copyValue}), -1 when the slot holds no event. */
    public int subsystemIndex() {
        return subsystemIndex;
    }

    /** Which variable is DEVPATH, whose value {@link #devpath()} is; -1 when the slot holds no event. */
    public int devpathIndex() {
        return devpathIndex;
    }

    public long seqnum() {
        return seqnum;
    }

    /** How many sequence numbers were skipped just before this event (0 when it followed on). */
    long seqnumGap() {
        return seqnumGap;
    }

    /** The length of the raw message. */
    int messageLength() {
        return length;
    }

    /** How many {@code KEY=VALUE} variables the event has (ACTION, DEVPATH, SUBSYSTEM, SEQNUM included). */
    public int size() {
        return count;
    }

    /** The i-th variable's name (a view). */
    CharSequence key(int i) {
        return keyView(checkIndex(i));
    }

    /** The i-th variable's value (a view; a value ends at its first newline, as udev reads it). */
    CharSequence value(int i) {
        return valueView(checkIndex(i));
    }

    boolean keyEquals(int i, CharSequence key) {
        checkIndex(i);
        return regionEquals(spans[4 * i], spans[4 * i + 1], key);
    }

    public boolean valueEquals(int i, CharSequence value) {
        checkIndex(i);
        return regionEquals(spans[4 * i + 2], spans[4 * i + 3], value);
    }

    /** The index of the first variable named {@code key}, or -1. Allocates nothing; cheapest with a String key. */
    public int indexOf(CharSequence key) {
        int h = key instanceof String ? key.hashCode() : hash(key);
        for (int i = 0; i < count; i++) {
            if (keyHashes[i] == h && regionEquals(spans[4 * i], spans[4 * i + 1], key)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Copies the i-th value's bytes to the start of {@code dst} (room for {@link #MAX_MESSAGE_BYTES}
     * is always enough) and returns their number: for callers that hash or compare them in bulk.
     */
    public int copyValue(int i, byte[] dst) {
        checkIndex(i);
        int from = spans[4 * i + 2];
        int n = spans[4 * i + 3] - from;
        System.arraycopy(data, from, dst, 0, n);
        return n;
    }

    private boolean regionEquals(int from, int to, CharSequence s) {
        int n = to - from;
        if (s.length() != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if ((data[from + k] & 0xff) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int hash(CharSequence s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    private ByteView keyView(int i) {
        ByteView v = keys[i];
        v.set(spans[4 * i], spans[4 * i + 1]);
        return v;
    }

    private ByteView valueView(int i) {
        ByteView v = values[i];
        v.set(spans[4 * i + 2], spans[4 * i + 3]);
        return v;
    }

    /** The value of the first variable named {@code key} (a view), or null. */
    public CharSequence get(CharSequence key) {
        int i = indexOf(key);
        return i < 0 ? null : valueView(i);
    }

    /** The i-th value decoded as UTF-8 (allocates: for printing, not the hot path). */
    public String valueString(int i) {
        checkIndex(i);
        return new String(data, spans[4 * i + 2], spans[4 * i + 3] - spans[4 * i + 2], StandardCharsets.UTF_8);
    }

    /** The i-th name as a String (allocates). */
    public String keyString(int i) {
        return keyView(checkIndex(i)).toString();
    }

    /** Copies the raw message bytes into {@code dst} and returns their number. */
    public int copyMessage(byte[] dst) {
        System.arraycopy(data, 0, dst, 0, length);
        return length;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("variable " + i + " of " + count);
        }
        return i;
    }

    @Override
    public String toString() {
        if (!isEvent()) {
            return rejection != null ? "rejected uevent: " + rejection.text() : "empty uevent slot";
        }
        return action.text() + " " + devpath() + " (" + subsystem() + ") seqnum " + seqnum;
    }
}
