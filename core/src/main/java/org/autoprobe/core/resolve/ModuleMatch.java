package org.autoprobe.core.resolve;

import java.util.Objects;

/**
 * One module a lookup yielded.
 *
 * @param name   the module name (normalised)
 * @param alias  what it came through: the config-alias pattern for {@link LookupSource#CONFIG_ALIAS},
 *               the normalised input for the other alias-like sources, null otherwise
 * @param source which source of the chain produced it
 */
public record ModuleMatch(String name, String alias, LookupSource source) {
    public ModuleMatch {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }
}
