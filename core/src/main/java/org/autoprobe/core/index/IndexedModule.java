package org.autoprobe.core.index;

import java.util.List;

import org.autoprobe.core.module.ModuleInfo;

/**
 * One module as depmod indexes it.
 *
 * @param name         the module's name
 * @param path         its path as {@code modules.dep} writes it: relative to the modules directory,
 *                     or absolute for a module found outside it (an {@code external} directory)
 * @param priority     its 0-based position in depmod's module order (its {@code modules.dep} line - 1)
 * @param info         what the file says; empty lists when the file could not be read
 * @param dependencies the names of every module it needs, directly or not, in {@code modules.dep}
 *                     order (modprobe loads them last to first)
 */
record IndexedModule(String name, String path, int priority, ModuleInfo info, List<String> dependencies) {
    public IndexedModule {
        dependencies = List.copyOf(dependencies);
    }
}
