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
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe devices}: every device in sysfs that announces a MODALIAS, the driver bound to
 * it and the modules the alias index says serve it (blacklist applied, as udev's autoloading does).
 */
@Command(name = "devices", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List devices with their MODALIAS, bound driver and the modules that serve them.")
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = "--sys", paramLabel = "DIR", description = "sysfs mount to read (default: /sys)")
    Path sys = Path.of("/sys");

    @Option(names = {"-A", "--all"}, description = "Also list devices without a MODALIAS.")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
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
        out.println("DEVPATH\tDRIVER\tMODALIAS\tMODULES");
        int shown = 0;
        for (SysfsDevice d : devices) {
            if (d.modalias().isEmpty() && !all) {
                continue;
            }
            String modalias = d.modalias().orElse("-");
            String modules = "-";
            if (resolver == null) {
                modules = d.modalias().isPresent() ? "?" : "-";
            } else if (d.modalias().isPresent()) {
                List<String> names = resolver.resolve(modalias, true);
                modules = names.isEmpty() ? "-" : String.join(" ", names);
            }
            out.println(d.devpath() + "\t" + (d.driver().isEmpty() ? "-" : d.driver()) + "\t" + modalias + "\t" + modules);
            shown++;
        }
        out.flush();
        if (shown == 0) {
            err.println("autoprobe devices: no device under " + sys.resolve("devices") + (all ? "" : " announces a MODALIAS"));
        }
        return 0;
    }
}
