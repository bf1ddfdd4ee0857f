/**
 * udev-style rules for module autoloading: the part of udev's rules language that decides which
 * modules to load for a uevent.
 *
 * <p>{@link org.autoprobe.rules.udev.UdevRulesLoader} finds {@code *.rules} files
 * ({@code /etc/autoprobe/rules.d} over {@code /usr/lib/autoprobe/rules.d}, autoprobe's own
 * {@code 80-autoprobe-drivers.rules} from the class path under its name),
 * {@link org.autoprobe.rules.udev.UdevRulesParser} turns a file into a
 * {@link org.autoprobe.rules.udev.RuleSet}, and {@link org.autoprobe.rules.udev.RuleSet#evaluate}
 * gives, for a {@link org.autoprobe.rules.udev.UeventView} and a
 * {@link org.autoprobe.rules.udev.SysfsView}, the {@link org.autoprobe.rules.udev.KmodLoad}s to do.
 *
 * <h2>Semantics taken from udev (systemd 252 and later)</h2>
 * <ul>
 *   <li>Physical lines: leading whitespace dropped, {@code #} lines skipped (also inside a
 *       continuation), trailing backslash continues, logical lines of 16384 characters or more
 *       dropped; tokens separated by whitespace and commas; {@code i} and {@code e} value
 *       prefixes.</li>
 *   <li>A line udev rejects (unknown key, bad operator for a key, missing attribute, unterminated
 *       value, an unknown operator such as {@code ~=}, which udev reports as an invalid key/value
 *       pair) is dropped whole with a warning, as udev does; a line with only match keys is
 *       reported as having no effect.</li>
 *   <li>Keys are evaluated in udev's order (by key type, not as written); {@code ATTR} of a missing
 *       file fails whatever the operator, {@code ENV} of a missing property is empty;
 *       {@code KERNEL} is the devpath's last component with {@code !} read as {@code /};
 *       {@code DRIVER} falls back to the sysfs {@code driver} link.</li>
 *   <li>{@code GOTO} jumps forward to the first later line with that {@code LABEL} in the same
 *       file; one without such a label is reported and ignored.</li>
 *   <li>{@code RUN{builtin}} {@code +=} appends, {@code =} and {@code :=} clear the list first,
 *       {@code :=} freezes it; identical commands are all kept, as udev keeps them.</li>
 * </ul>
 *
 * <h2>Where autoprobe differs, on purpose</h2>
 * <ul>
 *   <li>Keys autoprobe does not run (device nodes, names, tags, programs, imports, parent-device
 *       keys, property and attribute assignments, other builtins) skip their rule with a warning
 *       instead of running it with part of its meaning; a LABEL on such a line stays a jump
 *       target.</li>
 *   <li>The builtin's name must be exactly {@code kmod} (udev also accepts a prefix of a builtin's
 *       name); {@code kmod} with a first argument other than {@code load} is refused when parsed,
 *       where udev fails when run.</li>
 *   <li>Substitutions in {@code kmod load} arguments: {@code $env{}/%E{}}, {@code $kernel/%k},
 *       {@code $number/%n}, {@code $devpath/%p}, {@code $root/%r}, {@code $sys/%S},
 *       {@code $$}, {@code %%}; others refuse the rule. {@code ATTR} names and {@code TEST} paths
 *       take no substitutions, and {@code TEST}'s {@code /* /} directory wildcard is refused.</li>
 *   <li>Case-insensitive glob matching lowercases ASCII letters of pattern and text (what glibc's
 *       FNM_CASEFOLD does in the C locale).</li>
 *   <li>A {@code TEST} path under {@code /sys} is taken inside the {@link
 *       org.autoprobe.rules.udev.SysfsView}'s tree, so fixtures work.</li>
 * </ul>
 */
package org.autoprobe.rules.udev;
