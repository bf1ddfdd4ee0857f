package org.autoprobe.core.config;

import java.io.PrintWriter;

/**
 * The configuration part of {@code modprobe -c}, as kmod 30 prints it: sections blacklist,
 * install, remove, alias, options, softdep, then (kmod 34; empty under kmod 30, which reads no
 * weakdep lines) weakdep as {@code weakdep MODULE NAME...} with the names joined by single
 * spaces; each section in list order, then a blank line, the line
 * {@value #END_MARKER} and another blank line, after which the caller dumps the indexes.
 */
public final class ConfigDump {
    public static final String END_MARKER = "# End of configuration files. Dumping indexes now:";

    private ConfigDump() {
    }

    public static void write(ModprobeConfig cfg, PrintWriter out) {
        for (String module : cfg.blacklist()) {
            line(out, "blacklist " + module);
        }
        for (ModprobeConfig.Command c : cfg.installs()) {
            line(out, "install " + c.module() + " " + c.command());
        }
        for (ModprobeConfig.Command c : cfg.removes()) {
            line(out, "remove " + c.module() + " " + c.command());
        }
        for (ModprobeConfig.Alias a : cfg.aliases()) {
            line(out, "alias " + a.pattern() + " " + a.module());
        }
        for (ModprobeConfig.Options o : cfg.options()) {
            line(out, "options " + o.module() + " " + o.options());
        }
        for (ModprobeConfig.SoftDep d : cfg.softdeps()) {
            line(out, "softdep " + d.module() + " " + d.shown());
        }
        for (ModprobeConfig.WeakDep d : cfg.weakdeps()) {
            line(out, "weakdep " + d.module() + " " + String.join(" ", d.deps()));
        }
        line(out, "");
        line(out, END_MARKER);
        line(out, "");
        out.flush();
    }

    private static void line(PrintWriter out, String text) {
        out.print(text);
        out.print('\n');
    }
}
