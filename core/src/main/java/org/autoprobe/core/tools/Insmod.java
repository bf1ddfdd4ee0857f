package org.autoprobe.core.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;

/** kmod 30's {@code insmod [-f] FILE [param=value...]}: one file, parameters joined by spaces as given. */
public final class Insmod {
    private final Kernel kernel;

    public Insmod(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    /** @param args the file, then its parameters */
    public ToolResult run(List<String> args, InsertFlags flags) {
        ToolLog log = new ToolLog("insmod", ToolLog.LOG_WARNING);
        if (args.isEmpty()) {
            log.log(ToolLog.LOG_ERR, "missing filename.");
            return log.result(1);
        }
        String filename = args.get(0);
        if (filename.equals("-")) {
            log.log(ToolLog.LOG_ERR, "this tool does not support loading from stdin!");
            return log.result(1);
        }
        Path file = Path.of(filename);
        if (!Files.exists(file)) {
            log.log(ToolLog.LOG_ERR, "could not load module " + filename + ": " + Errno.ENOENT.message());
            return log.result(1);
        }
        String params = String.join(" ", args.subList(1, args.size()));
        try {
            kernel.insert(file, params, flags);
            return log.result(0);
        } catch (SyscallException e) {
            log.log(ToolLog.LOG_ERR, "could not insert module " + filename + ": " + meaning(e.errno()));
            return log.result(1);
        }
    }

    /** insmod's wording for the errors a module load gives (kmod's {@code mod_strerror}). */
    private static final Map<Errno, String> MEANINGS = Map.of(
            Errno.ENOEXEC, "Invalid module format",
            Errno.ENOENT, "Unknown symbol in module",
            Errno.ESRCH, "Module has wrong symbol version",
            Errno.EINVAL, "Invalid parameters");

    /** insmod's wording for the errors a module load gives; the C library's text otherwise. */
    static String meaning(Errno e) {
        return MEANINGS.getOrDefault(e, e.message());
    }
}
