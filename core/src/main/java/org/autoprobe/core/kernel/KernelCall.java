package org.autoprobe.core.kernel;

import java.util.Locale;
import java.util.Map;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;

/**
 * The calls that reach the kernel on a module's behalf, and what their failures mean to a user:
 * each failure is a {@link SyscallException} whose meaning comes from here, e.g.
 * {@code finit_module(e1000e) failed: EEXIST (File exists): already loaded}.
 */
public enum KernelCall {
    OPEN("open"),
    READ("read"),
    FINIT_MODULE("finit_module"),
    INIT_MODULE("init_module"),
    DELETE_MODULE("delete_module");

    /** What an insert's errno means; any other errno says the C library's text, in lower case. */
    private static final Map<Errno, String> INSERT_MEANINGS = Map.ofEntries(
            Map.entry(Errno.EEXIST, "already loaded"),
            Map.entry(Errno.ENOENT, "unknown symbol in module or unknown parameter (see dmesg)"),
            Map.entry(Errno.ENOEXEC, "invalid module format"),
            Map.entry(Errno.ESRCH, "module has wrong symbol version"),
            Map.entry(Errno.EINVAL, "invalid parameters"),
            Map.entry(Errno.ENOKEY, "module is not signed by a key the kernel knows (signature enforcement)"),
            Map.entry(Errno.EKEYREJECTED, "module signature rejected by the kernel"),
            Map.entry(Errno.EPERM,
                    "not permitted (needs CAP_SYS_MODULE; module loading may be disabled, or the kernel blacklists it)"),
            Map.entry(Errno.EBUSY, "in use: another load of this module is in progress"),
            Map.entry(Errno.ENOSYS, "this kernel cannot load modules"),
            Map.entry(Errno.ENOMEM, "out of memory"));

    /** What a removal's errno means. */
    private static final Map<Errno, String> REMOVE_MEANINGS = Map.of(
            Errno.ENOENT, "not loaded",
            Errno.EAGAIN, "in use",
            Errno.EBUSY, "in use",
            Errno.EPERM, "not permitted (needs CAP_SYS_MODULE)",
            Errno.ENOSYS, "this kernel cannot unload modules");

    private final String text;

    KernelCall(String text) {
        this.text = text;
    }

    /** The call's C name. */
    public String text() {
        return text;
    }

    /** Whether the call inserts a module. */
    boolean inserts() {
        return this == FINIT_MODULE || this == INIT_MODULE;
    }

    /**
     * This call's failure on {@code target} (the module's name; for {@link #OPEN} and {@link #READ}
     * the file), with what it means.
     */
    public SyscallException failure(String target, Errno errno) {
        return failure(target, errno, null);
    }

    /**
     * This call's failure on {@code target}, with what it means followed by {@code detail} (e.g. the
     * holders of a module in use, {@code " by: a b"}), when there is one.
     */
    public SyscallException failure(String target, Errno errno, String detail) {
        String m = meaning(errno);
        return new SyscallException(text, target, errno, detail == null || detail.isEmpty() ? m : m + detail);
    }

    /** What {@code errno} from this call means, in a user's words ({@code already loaded}). */
    String meaning(Errno errno) {
        String fallback = errno.message().toLowerCase(Locale.ROOT);
        if (inserts()) {
            return INSERT_MEANINGS.getOrDefault(errno, fallback);
        }
        return this == DELETE_MODULE ? REMOVE_MEANINGS.getOrDefault(errno, fallback) : fallback;
    }
}
