package org.autoprobe.core.tools;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Objects;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.load.ToolResult;

/**
 * kmod 30's {@code lsmod}: the modules in {@code /proc/modules} order; size, use count and holders
 * from {@code /sys/module} (a value that cannot be read prints as kmod prints it, {@code -2}).
 */
public final class Lsmod {
    static final String HEADER = "Module                  Size  Used by";

    private final Kernel kernel;

    public Lsmod(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
    }

    public ToolResult run() {
        List<LoadedModule> mods;
        try {
            mods = kernel.loaded();
        } catch (IOException e) {
            Errno errno = e instanceof NoSuchFileException ? Errno.ENOENT : Errno.EIO;
            return new ToolResult(List.of(), List.of("Error: could not get list of modules: " + errno.message()), 1);
        }
        List<String> out = new java.util.ArrayList<>(mods.size() + 1);
        out.add(HEADER);
        int missing = -Errno.ENOENT.value();
        for (LoadedModule m : mods) {
            String name = m.name();
            long size = kernel.size(name).orElse(missing);
            int refs = kernel.refcount(name).orElse(missing);
            StringBuilder line = new StringBuilder(String.format("%-19s %8d  %d", name, size, refs));
            List<String> holders = kernel.holders(name);
            if (!holders.isEmpty()) {
                line.append(' ').append(String.join(",", holders));
            }
            out.add(line.toString());
        }
        return new ToolResult(out, List.of(), 0);
    }
}
