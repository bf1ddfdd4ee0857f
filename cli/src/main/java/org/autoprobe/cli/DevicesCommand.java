package org.autoprobe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.resolve.Decision;
import org.autoprobe.core.resolve.Reason;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.netlink.ids.DeviceNames;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe devices}: {@code lspci -k} for every bus. Each device in sysfs that announces a
 * MODALIAS with its subsystem, a readable name from the machine's id databases (udev's hwdb,
 * pci.ids, usb.ids), the bound driver, and the modules the alias index gives it, each with its
 * reason ({@code loaded}, {@code would-load}, {@code blacklisted}, {@code built-in}, ...; the
 * blacklist applied as udev's autoloading does). {@code --json} gives the same as an array, MODALIAS
 * values whole.
 */
@Command(name = "devices", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"List devices with their subsystem, name, bound driver, MODALIAS and the modules that serve them, "
                + "each with its reason (loaded, would-load, blacklisted, built-in, alias-to-missing, install-command; "
                + "no-match when none).",
                "Long MODALIAS values are cut in the table (whole with --json)."})
final class DevicesCommand implements Callable<Integer> {
    /** MODALIAS values longer than this are cut in the table (a CPU's runs to 1,500 characters). */
    static final int TABLE_MODALIAS = 64;

    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = "--sys", paramLabel = "DIR", description = "sysfs mount to read (default: /sys)")
    Path sys;

    @Option(names = {"-A", "--all"}, description = "Also list devices without a MODALIAS.")
    boolean all;

    @Option(names = "--json", description = "One JSON array: an object per device (devpath, subsystem, modalias, name, driver, modules, reason).")
    boolean json;

    @Option(names = {"-s", "--subsystem"}, paramLabel = "SUBSYSTEM", description = "Only devices of this subsystem (repeatable).")
    List<String> subsystems = new ArrayList<>();

    @Option(names = "--no-names", description = "Do not look names up in the id databases.")
    boolean noNames;

    @Parameters(paramLabel = "DEVPATH-PREFIX", arity = "0..*",
            description = "Only devices whose path starts with one of these (/devices/pci0000:00, /sys/devices/...).")
    List<String> prefixes = new ArrayList<>();

    /** One row. */
    record Row(SysfsDevice device, String name, Decision decision) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path sys = tree.systemRoot(this.sys).sys();
        List<SysfsDevice> devices;
        try {
            devices = new ArrayList<>(SysfsDevices.scan(sys, w -> err.println("autoprobe devices: " + w)));
        } catch (IOException e) {
            err.println("autoprobe devices: " + e.getMessage());
            return 1;
        }
        devices.sort(Comparator.comparing(SysfsDevice::devpath));
        Path moduleDir = tree.moduleDirectory();
        Resolver resolver = null;
        if (!Files.isDirectory(moduleDir)) {
            if (tree.treeGiven()) {
                tree.missingTree(err, "autoprobe devices");
                return 1;
            }
            err.println("autoprobe devices: " + moduleDir + " does not exist: kernel " + tree.kernel()
                    + " has no loadable modules there, so devices are listed without modules (use -d/-S for another tree)");
            err.flush();
        } else {
            BinModuleDatabase db = BinModuleDatabase.open(moduleDir);
            db.problem(ModuleDatabase.Index.ALIAS).ifPresent(p -> err.println("autoprobe devices: cannot read the alias index: "
                    + p.getMessage() + " (run depmod)"));
            resolver = new Resolver(db, tree.config(err, "autoprobe devices"), new SysfsModuleState(sys),
                    e -> err.println("autoprobe devices: " + e));
        }
        DeviceNames names = noNames ? null : DeviceNames.system(w -> err.println("autoprobe devices: " + w));
        SysfsModuleState state = new SysfsModuleState(sys);
        List<Row> rows = new ArrayList<>();
        for (SysfsDevice d : devices) {
            if ((d.modalias().isEmpty() && !all) || !selected(d)) {
                continue;
            }
            String name = names == null || d.modalias().isEmpty() ? null : names.name(d.modalias().get()).orElse(null);
            Decision decision = resolver == null || d.modalias().isEmpty() ? null
                    : Decision.of(resolver, d.modalias().get(), state);
            rows.add(new Row(d, name, decision));
        }
        if (json) {
            printJson(out, rows);
        } else {
            out.println("DEVPATH\tSUBSYSTEM\tDRIVER\tNAME\tMODALIAS\tMODULES");
            for (Row r : rows) {
                SysfsDevice d = r.device();
                out.println(d.devpath() + "\t" + dash(d.subsystem()) + "\t" + dash(d.driver()) + "\t"
                        + (r.name() == null ? "-" : r.name()) + "\t" + d.modalias().map(DevicesCommand::cut).orElse("-") + "\t"
                        + modulesColumn(r, resolver != null));
            }
        }
        out.flush();
        if (rows.isEmpty()) {
            err.println("autoprobe devices: no device under " + sys.resolve("devices") + (all ? "" : " announces a MODALIAS")
                    + (subsystems.isEmpty() && prefixes.isEmpty() ? "" : " among those selected"));
        }
        return 0;
    }

    private boolean selected(SysfsDevice d) {
        if (!subsystems.isEmpty() && !subsystems.contains(d.subsystem())) {
            return false;
        }
        if (prefixes.isEmpty()) {
            return true;
        }
        for (String p : prefixes) {
            String prefix = p.startsWith("/sys/") ? p.substring(4) : p;
            if (d.devpath().equals(prefix) || d.devpath().startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /** A MODALIAS for the table: at most {@value #TABLE_MODALIAS} characters, a cut one ending in "...". */
    static String cut(String modalias) {
        return org.autoprobe.core.text.Abbrev.cut(modalias, TABLE_MODALIAS);
    }

    /** {@code e1000(loaded)}, {@code 8139cp(blacklisted) 8139too(would-load)}, {@code no-match}; {@code ?} without a tree. */
    private static String modulesColumn(Row r, boolean haveTree) {
        if (r.device().modalias().isEmpty()) {
            return "-";
        }
        if (!haveTree) {
            return "?";
        }
        if (r.decision().modules().isEmpty()) {
            return Reason.NO_MATCH.word();
        }
        List<String> parts = new ArrayList<>();
        for (Decision.Entry e : r.decision().modules()) {
            parts.add(e.name() + "(" + e.reason().word() + ")");
        }
        return String.join(" ", parts);
    }

    private static void printJson(PrintWriter out, List<Row> rows) {
        out.println("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            SysfsDevice d = r.device();
            StringBuilder b = new StringBuilder("  {");
            b.append("\"devpath\": ").append(Json.string(d.devpath()));
            b.append(", \"subsystem\": ").append(Json.string(d.subsystem().isEmpty() ? null : d.subsystem()));
            b.append(", \"modalias\": ").append(Json.string(d.modalias().orElse(null)));
            b.append(", \"name\": ").append(Json.string(r.name()));
            b.append(", \"driver\": ").append(Json.string(d.driver().isEmpty() ? null : d.driver()));
            b.append(", \"modules\": ");
            if (r.decision() == null) {
                b.append("null, \"reason\": null");
            } else {
                b.append('[');
                List<Decision.Entry> mods = r.decision().modules();
                for (int k = 0; k < mods.size(); k++) {
                    Decision.Entry e = mods.get(k);
                    b.append(k == 0 ? "" : ", ").append("{\"name\": ").append(Json.string(e.name()))
                            .append(", \"reason\": ").append(Json.string(e.reason().word())).append('}');
                }
                b.append("], \"reason\": ").append(Json.string(r.decision().summary().word()));
            }
            b.append('}').append(i + 1 < rows.size() ? "," : "");
            out.println(b);
        }
        out.println("]");
    }
}
