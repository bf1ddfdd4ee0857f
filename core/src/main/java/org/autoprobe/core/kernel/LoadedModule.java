package org.autoprobe.core.kernel;

import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/modules}.
 *
 * @param name      the module name
 * @param size      its core size in bytes
 * @param refcount  its use count
 * @param holders   the modules that use it, in the kernel's order ({@code [permanent]} kept as written)
 * @param state     LIVE, COMING (Loading) or GOING (Unloading)
 */
public record LoadedModule(String name, long size, int refcount, List<String> holders, InitState state) {
    public LoadedModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        holders = List.copyOf(holders);
    }

    /** The line as the kernel writes it, with the address zeroed as for a reader without rights. */
    String procLine() {
        String users = holders.isEmpty() ? "-" : String.join(",", holders) + ",";
        return name + " " + size + " " + refcount + " " + users + " " + state.procText() + " 0x0000000000000000";
    }
}
