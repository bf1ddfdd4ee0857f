package org.autoprobe.daemon.load;

import java.util.List;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.resolve.Reason;

/**
 * How one module's load ended.
 *
 * @param request    the request that ran it (other devices shared it)
 * @param status     what happened
 * @param errno      the failure's errno, null unless {@link Status#FAILED}
 * @param detail     the failure in words (the kernel call, errno and meaning), "" unless failed
 * @param steps      what was run, as {@code modprobe -n -v} prints it ({@code insmod PATH OPTIONS})
 * @param generation the generation whose index and configuration planned it
 */
public record LoadResult(LoadRequest request, Status status, Errno errno, String detail, List<String> steps,
                         long generation) {
    /** The end of a load. */
    public enum Status {
        /** The module (and what it needs) was inserted. */
        LOADED,
        /** The kernel already had it, loaded or built in. */
        ALREADY_LOADED,
        /** The blacklist stopped it (udev applies it to every load). */
        BLACKLISTED,
        /** The lookup no longer yields the module (the index changed underneath). */
        NOT_FOUND,
        /** A step failed: see {@link #errno()} and {@link #detail()}. */
        FAILED
    }

    public LoadResult {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        steps = List.copyOf(steps);
    }

    public boolean ok() {
        return status != Status.FAILED;
    }

    /** The end as the shared {@link Reason} vocabulary says it (already in the kernel is {@code loaded} too). */
    public Reason reason() {
        return switch (status) {
            case LOADED, ALREADY_LOADED -> Reason.LOADED;
            case BLACKLISTED -> Reason.BLACKLISTED;
            case NOT_FOUND -> Reason.ALIAS_TO_MISSING;
            case FAILED -> Reason.failed(errno == null ? Errno.EINVAL : errno);
        };
    }

    /** The status as {@code autoprobe coldplug} prints it: {@code loaded}, {@code failed: EPERM}, ... */
    public String statusText() {
        return status == Status.FAILED ? "failed: " + (errno == null ? "?" : errno.name())
                : status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
