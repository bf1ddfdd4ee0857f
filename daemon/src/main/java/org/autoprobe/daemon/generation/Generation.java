package org.autoprobe.daemon.generation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.autoprobe.core.resolve.CachingResolver;
import org.autoprobe.rules.udev.RuleSet;
import org.autoprobe.rules.udev.SysfsView;

/**
 * Everything one decision needs, built together and never changed: the rules, the resolver over
 * one modules directory's indexes and one modprobe configuration (with its answer cache), and the
 * sysfs the rules read. A reload builds a new generation and swaps it in whole; work that started
 * on the old one finishes on it.
 *
 * @param id        1 for the first generation, then one more per reload
 * @param rules     the udev-style rules
 * @param resolver  modprobe's decisions, answers cached by alias (MODALIAS)
 * @param sysfs     what {@code ATTR} and {@code TEST} read
 * @param moduleDir the modules directory the indexes came from
 * @param builtAt   when it was built
 * @param problems  what was wrong while building it (bad config lines, missing index files), one line each
 */
public record Generation(long id, RuleSet rules, CachingResolver resolver, SysfsView sysfs, Path moduleDir,
                         Instant builtAt, List<String> problems) {
    public Generation {
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(sysfs, "sysfs");
        Objects.requireNonNull(moduleDir, "moduleDir");
        Objects.requireNonNull(builtAt, "builtAt");
        problems = List.copyOf(problems);
    }

    /** One line for logs and {@code autoprobe status}. */
    public String describe() {
        return "generation " + id + " (" + moduleDir + ", " + rules.size() + " rule lines, " + problems.size()
                + " problems)";
    }
}
