package org.autoprobe.rules.modprobe;

import java.util.Objects;

/**
 * One directive of the modprobe configuration and where it was written, for answers that say why
 * (explain): {@code blacklist}, {@code alias}, {@code options}, {@code install}, {@code remove},
 * {@code softdep} or {@code weakdep}.
 *
 * @param directive the directive's keyword
 * @param module    the module (normalised; for {@code alias}, the module the pattern names)
 * @param value     the pattern for {@code alias}, the text after the module otherwise ("" for blacklist)
 * @param origin    {@code FILE:LINE}, or {@code kernel command line}
 */
public record ConfigLine(String directive, String module, String value, String origin) {
    public ConfigLine {
        Objects.requireNonNull(directive, "directive");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
    }
}
