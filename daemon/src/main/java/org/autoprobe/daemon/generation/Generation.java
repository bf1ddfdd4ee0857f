package org.autoprobe.daemon.generation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.autoprobe.daemon.cache.CachingResolver;
import org.autoprobe.rules.modprobe.ConfigLine;
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
 * @param problems  what was wrong while building it (bad config lines, files skipped, missing index
 *                  files), one line each; includes {@code unreadable}
 * @param configLines the modprobe configuration's directives with the file and line of each (for explain)
 * @param unreadable the sources it could not read for a reason outside their content: its
 *                  {@code modules.dep.bin} or {@code modules.alias.bin} missing or unreadable, a
 *                  configuration or rules file or directory that gave an I/O error (too many open
 *                  files, ...) or vanished while being read. Such a generation answers wrongly (no
 *                  aliases at all, a blacklist missing), so it is {@linkplain #complete() incomplete}
 *                  and the daemon does not let it replace a complete one
 */
public record Generation(long id, RuleSet rules, CachingResolver resolver, SysfsView sysfs, Path moduleDir,
                         Instant builtAt, List<String> problems, List<String> unreadable, List<ConfigLine> configLines) {
    public Generation {
        configLines = List.copyOf(configLines);
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(sysfs, "sysfs");
        Objects.requireNonNull(moduleDir, "moduleDir");
        Objects.requireNonNull(builtAt, "builtAt");
        problems = List.copyOf(problems);
        unreadable = List.copyOf(unreadable);
    }

    /** A generation whose configuration's origins were not kept. */
    public Generation(long id, RuleSet rules, CachingResolver resolver, SysfsView sysfs, Path moduleDir,
                      Instant builtAt, List<String> problems, List<String> unreadable) {
        this(id, rules, resolver, sysfs, moduleDir, builtAt, problems, unreadable, List.of());
    }

    /** A generation that read all its sources ({@code problems} are only about their content). */
    public Generation(long id, RuleSet rules, CachingResolver resolver, SysfsView sysfs, Path moduleDir,
                      Instant builtAt, List<String> problems) {
        this(id, rules, resolver, sysfs, moduleDir, builtAt, problems, List.of());
    }

    /** Whether every source was read (problems of their content aside). */
    public boolean complete() {
        return unreadable.isEmpty();
    }

    /** One line for logs and {@code autoprobe status}. */
    public String describe() {
        return "generation " + id + " (" + moduleDir + ", " + rules.size() + " rule lines, " + problems.size()
                + " problems" + (complete() ? "" : ", " + unreadable.size() + " sources unreadable") + ")";
    }

    /** Why it is incomplete, in one line: the first unreadable source and how many more. */
    public String whyIncomplete() {
        if (complete()) {
            return "";
        }
        return unreadable.get(0) + (unreadable.size() == 1 ? "" : " (and " + (unreadable.size() - 1) + " more)");
    }
}
