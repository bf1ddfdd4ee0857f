package org.autoprobe.core.resolve;

/**
 * What the running kernel has, as kmod's {@code kmod_module_get_initstate} sees it for the
 * "already in kernel" check. Modules listed in modules.builtin count as in the kernel through the
 * index; this interface only answers for loaded modules ({@code /sys/module/NAME/initstate} reads
 * {@code live}).
 */
@FunctionalInterface
public interface ModuleState {
    /** Whether the module is loaded and live. */
    boolean isLive(String name);

    /** A kernel with nothing loaded (what {@code --show-depends} assumes). */
    static ModuleState nothingLoaded() {
        return name -> false;
    }
}
