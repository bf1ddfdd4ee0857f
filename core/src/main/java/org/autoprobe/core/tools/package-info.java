/**
 * The kmod tools, one home each, as kmod's {@code tools/} over {@code libkmod}: each takes its
 * parsed options and what it works on, and returns what it printed and its exit code through one
 * {@link org.autoprobe.core.load.ToolLog} ({@link org.autoprobe.core.load.ToolResult}), or, for
 * the tools whose output streams (depmod, resolve, modinfo), writes through the caller's sink and writer.
 * The command-line layer only parses options and prints.
 *
 * <p>{@link org.autoprobe.core.tools.Modprobe} is modprobe's every mode ({@link
 * org.autoprobe.core.tools.ModprobeInsert} and {@link org.autoprobe.core.tools.ModprobeRemove} are
 * its insertion and removal, public for the benchmarks that drive them over a resident resolver);
 * {@link org.autoprobe.core.tools.Depmod}, {@link org.autoprobe.core.tools.Resolve},
 * {@link org.autoprobe.core.tools.Modinfo} (with its {@link org.autoprobe.core.tools.ModuleLookup}),
 * {@link org.autoprobe.core.tools.Insmod}, {@link org.autoprobe.core.tools.Rmmod} and
 * {@link org.autoprobe.core.tools.Lsmod} are the others. What they share below them stays in
 * {@code core.load} (the plan executor, command runner and the log) and {@code core.resolve}.
 * Configuration parsing (modprobe.d, depmod.d) lives in the rules module, which depends on core:
 * so a tool takes its configuration already parsed, through a supplier its caller fills from the
 * rules module, asked for only when the mode needs it.
 */
package org.autoprobe.core.tools;
