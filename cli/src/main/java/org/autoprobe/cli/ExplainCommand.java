package org.autoprobe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoprobe.daemon.explain.Explainer;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.rules.udev.UdevRulesLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code autoprobe explain}: why a device's driver is (or is not) loaded, without a daemon: the
 * device's uevent, the rule lines that matched, the patterns and configuration lines (file:line)
 * behind each module, blacklists, built-in modules, options, softdeps, install commands, the load
 * order and what the kernel has now. A running daemon answers the same through
 * {@code autoprobe status explain}, adding what it did.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Say why a device's module is or is not loaded: rules, patterns, configuration lines (file:line), "
                + "blacklists, built-in modules, options, softdeps, install commands, load order, kernel state.",
                "Reasons: no-match, blacklisted, built-in, alias-to-missing, install-command, loaded, would-load, failed:ERRNO."})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModuleTreeOptions tree;

    @Option(names = "--sys", paramLabel = "DIR", description = "sysfs mount to read (default: /sys)")
    Path sys;

    @Option(names = "--rules-dir", paramLabel = "DIR",
            description = "Rules directory (repeatable, highest precedence first; default: /etc/autoprobe/rules.d, /usr/lib/autoprobe/rules.d)")
    List<Path> rulesDirs = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "DEVPATH|MODALIAS|MODULE",
            description = "A device (/sys/devices/... or /devices/...), an alias (anything with ':'), or a module name.")
    List<String> what = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (tree.missingTree(err, "autoprobe explain")) {
            return 1;
        }
        GenerationSources sources = GenerationSources.of(tree.systemRoot(sys), tree.moduleDirectory(), tree.configs,
                rulesDirs.isEmpty() ? UdevRulesLoader.DEFAULT_DIRS : rulesDirs);
        Explainer explainer = Explainer.read(sources, Explainer.History.NONE,
                w -> err.println("autoprobe explain: WARNING: " + w));
        boolean first = true;
        for (String w : what) {
            if (!first) {
                out.println();
            }
            first = false;
            for (String line : explainer.explain(w)) {
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }
}
