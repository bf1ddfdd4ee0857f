package org.autoprobe.core.errno;

import java.io.IOException;
import java.util.Objects;

/**
 * A system call that failed: which call, on what (a path, a module name, a socket's purpose), the
 * errno, and, where the layer that made the call knows one, what the failure means in a user's
 * words. Its message reads {@code CALL(ARGUMENT) failed: NAME (TEXT)}, then {@code : MEANING} when
 * there is one, e.g. {@code finit_module(e1000e) failed: EEXIST (File exists): already loaded} or
 * {@code bind(uevent socket, group 1) failed: EPERM (Operation not permitted)}.
 *
 * <p>It is the one type every native edge throws ({@code core/sys}, {@code netlink/sys},
 * {@code daemon/sys}, through {@code org.autoprobe.core.sys.Errors}), and the one the module calls'
 * doubles throw. Callers decide on {@link #errno()}, compared with the {@link Errno} constants.
 */
public final class SyscallException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final String argument;
    private final int errno;
    private final String meaning;

    /**
     * @param call     the C name of the call, {@code finit_module}
     * @param argument what it was called on, or null when nothing names it
     * @param errno    what the kernel (or the C library) said
     * @param meaning  what that means to a user ({@code already loaded}), or null
     */
    public SyscallException(String call, String argument, Errno errno, String meaning) {
        super(message(call, argument, errno, meaning));
        this.call = call;
        this.argument = argument;
        this.errno = errno.value();
        this.meaning = meaning;
    }

    /** A failure without a meaning beyond the errno's own text. */
    public SyscallException(String call, String argument, Errno errno) {
        this(call, argument, errno, null);
    }

    /** The C name of the call that failed, {@code recvmsg}. */
    public String call() {
        return call;
    }

    /** What the call was on ({@code e1000e}, {@code /lib/modules/.../x.ko}); null when nothing named it. */
    public String argument() {
        return argument;
    }

    public Errno errno() {
        return Errno.of(errno);
    }

    /** What the failure means in a user's words ({@code already loaded}); null when the caller gave none. */
    public String meaning() {
        return meaning;
    }

    static String message(String call, String argument, Errno errno, String meaning) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(errno, "errno");
        StringBuilder b = new StringBuilder(call);
        if (argument != null) {
            b.append('(').append(argument).append(')');
        }
        b.append(" failed: ").append(errno);
        if (meaning != null) {
            b.append(": ").append(meaning);
        }
        return b.toString();
    }
}
