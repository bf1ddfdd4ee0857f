package org.autoprobe.core.kernel;

import java.util.Objects;

/**
 * A module call the kernel refused: which call, for which module, the errno, and what it means to a
 * user, e.g. {@code finit_module(e1000e) failed: EEXIST (File exists): already loaded}.
 */
public final class KernelCallException extends Exception {
    private static final long serialVersionUID = 1L;

    private final KernelCall call;
    private final String module;
    private final transient Errno errno;
    private final String explanation;

    /**
     * @param call   the call that failed
     * @param module the module name, or for {@code open}/{@code read} the file
     * @param errno  what the kernel said
     * @param detail extra words for the explanation (e.g. the holders of a module in use), or null
     */
    public KernelCallException(KernelCall call, String module, Errno errno, String detail) {
        super(message(call, module, errno, explain(call, errno, detail)));
        this.call = Objects.requireNonNull(call, "call");
        this.module = Objects.requireNonNull(module, "module");
        this.errno = Objects.requireNonNull(errno, "errno");
        this.explanation = explain(call, errno, detail);
    }

    public KernelCallException(KernelCall call, String module, Errno errno) {
        this(call, module, errno, null);
    }

    public KernelCall call() {
        return call;
    }

    public String module() {
        return module;
    }

    public Errno errno() {
        return errno;
    }

    /** What the failure means, in a user's words ({@code already loaded}). */
    public String explanation() {
        return explanation;
    }

    private static String message(KernelCall call, String module, Errno errno, String explanation) {
        return call.text() + "(" + module + ") failed: " + errno + ": " + explanation;
    }

    static String explain(KernelCall call, Errno errno, String detail) {
        String base = call.inserts() ? insertMeaning(errno)
                : call == KernelCall.DELETE_MODULE ? removeMeaning(errno)
                : errno.message().toLowerCase(java.util.Locale.ROOT);
        return detail == null || detail.isEmpty() ? base : base + detail;
    }

    private static String insertMeaning(Errno e) {
        return switch (e.value()) {
            case 17 -> "already loaded";
            case 2 -> "unknown symbol in module or unknown parameter (see dmesg)";
            case 8 -> "invalid module format";
            case 3 -> "module has wrong symbol version";
            case 22 -> "invalid parameters";
            case 126 -> "module is not signed by a key the kernel knows (signature enforcement)";
            case 129 -> "module signature rejected by the kernel";
            case 1 -> "not permitted (needs CAP_SYS_MODULE; module loading may be disabled, or the kernel blacklists it)";
            case 16 -> "in use: another load of this module is in progress";
            case 38 -> "this kernel cannot load modules";
            case 12 -> "out of memory";
            default -> e.message().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String removeMeaning(Errno e) {
        return switch (e.value()) {
            case 2 -> "not loaded";
            case 11, 16 -> "in use";
            case 1 -> "not permitted (needs CAP_SYS_MODULE)";
            case 38 -> "this kernel cannot unload modules";
            default -> e.message().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
