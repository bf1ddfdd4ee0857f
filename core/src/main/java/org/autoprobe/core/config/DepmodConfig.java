package org.autoprobe.core.config;

import java.util.List;

/**
 * depmod.d configuration (parsed in {@code rules}): where depmod looks for modules and which
 * copy of a duplicated module wins.
 *
 * @param search    {@code search} directories in priority order, relative to the modules
 *                  directory; {@link #BUILT_IN} stands for the kernel's own tree. Empty: kmod's
 *                  default ({@code updates} then built-in).
 * @param overrides {@code override MODULE KVER SUBDIR}
 * @param externals {@code external KVER DIR...}
 * @param excludes  {@code exclude DIR...}
 */
public record DepmodConfig(List<String> search, List<Override> overrides, List<External> externals,
                           List<String> excludes) {
    public static final String BUILT_IN = "built-in";
    public static final DepmodConfig DEFAULT = new DepmodConfig(List.of(), List.of(), List.of(), List.of());

    public DepmodConfig {
        search = List.copyOf(search);
        overrides = List.copyOf(overrides);
        externals = List.copyOf(externals);
        excludes = List.copyOf(excludes);
    }

    public record Override(String module, String kernelVersion, String subdir) {
    }

    public record External(String kernelVersion, List<String> dirs) {
        public External {
            dirs = List.copyOf(dirs);
        }
    }
}
