package org.autoprobe.core.errno;

import java.util.Map;
import java.util.Set;

/**
 * A Linux errno value with its symbolic name and the text glibc's {@code strerror} gives it (the
 * text kmod prints). Values the table does not know keep their number: {@code E123},
 * {@code Unknown error 123}. The constants are Linux's numbers, the same on every architecture the
 * project builds for; compare values with {@link #equals}, never by their numbers.
 *
 * @param value the errno number (positive)
 */
public record Errno(int value) {
    public static final Errno EPERM = new Errno(1);
    public static final Errno ENOENT = new Errno(2);
    public static final Errno ESRCH = new Errno(3);
    public static final Errno EINTR = new Errno(4);
    public static final Errno EIO = new Errno(5);
    public static final Errno ENOEXEC = new Errno(8);
    public static final Errno EBADF = new Errno(9);
    public static final Errno EAGAIN = new Errno(11);
    public static final Errno ENOMEM = new Errno(12);
    public static final Errno EACCES = new Errno(13);
    public static final Errno EFAULT = new Errno(14);
    public static final Errno EBUSY = new Errno(16);
    public static final Errno EEXIST = new Errno(17);
    public static final Errno ENODEV = new Errno(19);
    public static final Errno EINVAL = new Errno(22);
    public static final Errno ENFILE = new Errno(23);
    public static final Errno EMFILE = new Errno(24);
    public static final Errno EPIPE = new Errno(32);
    public static final Errno ERANGE = new Errno(34);
    public static final Errno ENOSYS = new Errno(38);
    public static final Errno ENOBUFS = new Errno(105);
    public static final Errno ECONNREFUSED = new Errno(111);
    public static final Errno EINPROGRESS = new Errno(115);
    public static final Errno ENOKEY = new Errno(126);
    public static final Errno EKEYREJECTED = new Errno(129);

    private record Text(String name, String message) {
    }

    private static final Map<Integer, Text> TABLE = Map.ofEntries(
            Map.entry(1, new Text("EPERM", "Operation not permitted")),
            Map.entry(2, new Text("ENOENT", "No such file or directory")),
            Map.entry(3, new Text("ESRCH", "No such process")),
            Map.entry(4, new Text("EINTR", "Interrupted system call")),
            Map.entry(5, new Text("EIO", "Input/output error")),
            Map.entry(7, new Text("E2BIG", "Argument list too long")),
            Map.entry(8, new Text("ENOEXEC", "Exec format error")),
            Map.entry(9, new Text("EBADF", "Bad file descriptor")),
            Map.entry(11, new Text("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(12, new Text("ENOMEM", "Cannot allocate memory")),
            Map.entry(13, new Text("EACCES", "Permission denied")),
            Map.entry(14, new Text("EFAULT", "Bad address")),
            Map.entry(16, new Text("EBUSY", "Device or resource busy")),
            Map.entry(17, new Text("EEXIST", "File exists")),
            Map.entry(19, new Text("ENODEV", "No such device")),
            Map.entry(21, new Text("EISDIR", "Is a directory")),
            Map.entry(22, new Text("EINVAL", "Invalid argument")),
            Map.entry(23, new Text("ENFILE", "Too many open files in system")),
            Map.entry(24, new Text("EMFILE", "Too many open files")),
            Map.entry(26, new Text("ETXTBSY", "Text file busy")),
            Map.entry(27, new Text("EFBIG", "File too large")),
            Map.entry(28, new Text("ENOSPC", "No space left on device")),
            Map.entry(32, new Text("EPIPE", "Broken pipe")),
            Map.entry(34, new Text("ERANGE", "Numerical result out of range")),
            Map.entry(38, new Text("ENOSYS", "Function not implemented")),
            Map.entry(61, new Text("ENODATA", "No data available")),
            Map.entry(74, new Text("EBADMSG", "Bad message")),
            Map.entry(75, new Text("EOVERFLOW", "Value too large for defined data type")),
            Map.entry(88, new Text("ENOTSOCK", "Socket operation on non-socket")),
            Map.entry(90, new Text("EMSGSIZE", "Message too long")),
            Map.entry(92, new Text("ENOPROTOOPT", "Protocol not available")),
            Map.entry(93, new Text("EPROTONOSUPPORT", "Protocol not supported")),
            Map.entry(95, new Text("EOPNOTSUPP", "Operation not supported")),
            Map.entry(97, new Text("EAFNOSUPPORT", "Address family not supported by protocol")),
            Map.entry(98, new Text("EADDRINUSE", "Address already in use")),
            Map.entry(104, new Text("ECONNRESET", "Connection reset by peer")),
            Map.entry(105, new Text("ENOBUFS", "No buffer space available")),
            Map.entry(111, new Text("ECONNREFUSED", "Connection refused")),
            Map.entry(110, new Text("ETIMEDOUT", "Connection timed out")),
            Map.entry(115, new Text("EINPROGRESS", "Operation now in progress")),
            Map.entry(126, new Text("ENOKEY", "Required key not available")),
            Map.entry(127, new Text("EKEYEXPIRED", "Key has expired")),
            Map.entry(128, new Text("EKEYREVOKED", "Key has been revoked")),
            Map.entry(129, new Text("EKEYREJECTED", "Key was rejected by service")));

    public Errno {
        if (value <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + value);
        }
    }

    /** The errno numbers below this one are made once ({@link #of} allocates nothing for them). */
    private static final int CACHED = 134;
    private static final Errno[] VALUES = new Errno[CACHED];

    static {
        for (int v = 1; v < CACHED; v++) {
            VALUES[v] = new Errno(v);
        }
    }

    /** The errno with this number (positive). */
    public static Errno of(int value) {
        return value > 0 && value < CACHED ? VALUES[value] : new Errno(value);
    }

    /** The errno whose {@link #name()} is {@code name} ({@code E123} for a number the table lacks); null if none. */
    public static Errno named(String name) {
        for (Map.Entry<Integer, Text> e : TABLE.entrySet()) {
            if (e.getValue().name().equals(name)) {
                return new Errno(e.getKey());
            }
        }
        if (name.length() > 1 && name.length() < 8 && name.charAt(0) == 'E' && name.substring(1).chars().allMatch(Character::isDigit)) {
            int v = Integer.parseInt(name.substring(1));
            return v > 0 ? new Errno(v) : null;
        }
        return null;
    }

    /** The symbolic name, {@code EEXIST}; {@code E<number>} for a value the table lacks. */
    public String name() {
        Text t = TABLE.get(value);
        return t == null ? "E" + value : t.name();
    }

    /** glibc's {@code strerror} text, {@code File exists}; {@code Unknown error N} for a value the table lacks. */
    public String message() {
        Text t = TABLE.get(value);
        return t == null ? "Unknown error " + value : t.message();
    }

    /** Whether the table knows this value (tests compare the known ones with the C library). */
    boolean known() {
        return TABLE.containsKey(value);
    }

    /** Every value the table knows, for checks against the C library. */
    public static Set<Integer> knownValues() {
        return TABLE.keySet();
    }

    @Override
    public String toString() {
        return name() + " (" + message() + ")";
    }
}
