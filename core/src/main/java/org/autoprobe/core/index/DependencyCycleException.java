package org.autoprobe.core.index;

import java.util.List;

/** The modules' dependencies form cycles: depmod writes nothing and fails. */
public final class DependencyCycleException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> cycles;
    private final int moduleCount;

    DependencyCycleException(List<String> cycles, int moduleCount) {
        super("Found " + moduleCount + " modules in dependency cycles: " + String.join("; ", cycles));
        this.cycles = List.copyOf(cycles);
        this.moduleCount = moduleCount;
    }

    /** Each cycle as kmod prints it: {@code a -> b -> a}. */
    public List<String> cycles() {
        return cycles;
    }

    /** How many distinct modules are on the cycles. */
    public int moduleCount() {
        return moduleCount;
    }
}
