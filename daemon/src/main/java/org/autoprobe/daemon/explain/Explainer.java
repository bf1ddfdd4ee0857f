package org.autoprobe.daemon.explain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.SysfsModuleState;
import org.autoprobe.core.kernel.SysfsModules;
import org.autoprobe.core.match.Glob;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.resolve.Decision;
import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;
import org.autoprobe.core.resolve.LookupSource;
import org.autoprobe.core.resolve.Module;
import org.autoprobe.core.resolve.ModuleMatch;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.ProbeFlags;
import org.autoprobe.core.resolve.Reason;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.text.Abbrev;
import org.autoprobe.core.text.RawText;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;
import org.autoprobe.rules.files.ConfigFileReader;
import org.autoprobe.rules.modprobe.ConfigLine;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;
import org.autoprobe.rules.udev.KmodLoad;
import org.autoprobe.rules.udev.RuleSet;
import org.autoprobe.rules.udev.SysfsView;
import org.autoprobe.rules.udev.UdevRulesLoader;
import org.autoprobe.rules.udev.UeventView;

/**
 * The chain of decisions behind a device, an alias or a module, in words: what {@code autoprobe
 * explain} prints offline and the daemon's {@code status explain} answers live (with what the
 * daemon did, through {@link History}). It reads the same sources a generation is built from,
 * keeping where each configuration line was written, and asks the kernel's sysfs what it has now.
 *
 * <p>Every answer is a list of lines: a heading per part ({@code device}, {@code rules},
 * {@code lookup}, {@code module}) and its facts indented by two spaces. Reasons are
 * {@link Reason}'s words.
 */
public final class Explainer {
    /** What a running daemon knows of its own loads (empty offline). */
    public interface History {
        /** One line on the daemon's load of {@code module} ("loaded for DEVPATH ..."), empty if it did none. */
        Optional<String> load(String module);

        /** The device the daemon loaded {@code module} for, if it loaded it. */
        default Optional<String> loadedFor(String module) {
            return Optional.empty();
        }

        History NONE = module -> Optional.empty();
    }

    private final Path moduleDir;
    private final Path sysRoot;
    private final Resolver resolver;
    private final List<ConfigLine> config;
    private final RuleSet rules;
    private final SysfsView sysfs;
    private final SysfsModules modules;
    private final ModuleState state;
    private final History history;
    private List<String[]> indexAliases;
    private List<String[]> builtinAliases;

    /**
     * An explainer over parts already read (the daemon's generation).
     *
     * @param resolver  the indexes and configuration
     * @param config    the configuration's directives with their origins
     * @param rules     the rules
     * @param moduleDir the modules directory (its text indexes name the patterns that matched)
     * @param sysRoot   the sysfs mount
     * @param state     what the kernel has loaded
     */
    public Explainer(Resolver resolver, List<ConfigLine> config, RuleSet rules, Path moduleDir, Path sysRoot,
                     ModuleState state, History history) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.config = List.copyOf(config);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.moduleDir = Objects.requireNonNull(moduleDir, "moduleDir");
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.history = Objects.requireNonNull(history, "history");
        this.state = Objects.requireNonNull(state, "state");
        this.sysfs = SysfsView.at(sysRoot);
        this.modules = new SysfsModules(sysRoot);
    }

    /**
     * Reads {@code sources} (indexes, modprobe configuration with its origins, rules) as a generation
     * would, for an answer without a daemon.
     *
     * @param warnings told of every problem reading them (a bad line, a missing index), one line each
     */
    public static Explainer read(GenerationSources sources, History history, Consumer<String> warnings) {
        BinModuleDatabase db = BinModuleDatabase.open(sources.moduleDir());
        for (ModuleDatabase.Index index : List.of(ModuleDatabase.Index.DEP, ModuleDatabase.Index.ALIAS)) {
            db.problem(index).ifPresent(e -> warnings.accept(sources.moduleDir().resolve(index.file() + ".bin")
                    + ": cannot read (run depmod)"));
        }
        Optional<String> cmdline = sources.cmdline() == null ? Optional.empty()
                : ConfigFileReader.read(sources.cmdline(), sources.cmdline().toString(), ConfigFileReader.IfMissing.SKIP,
                        warnings).map(RawText::decode);
        ModprobeConfigLoader.Traced traced = ModprobeConfigLoader.loadTraced(sources.configPaths(), sources.moduleDir(),
                cmdline, warnings);
        RuleSet rules = UdevRulesLoader.loadWithDefaults(sources.rulesDirs(), warnings);
        Resolver resolver = new Resolver(db, traced.config(), new SysfsModuleState(sources.sysRoot()), warnings);
        return new Explainer(resolver, traced.lines(), rules, sources.moduleDir(), sources.sysRoot(),
                new SysfsModuleState(sources.sysRoot()), history);
    }

    /** The resolver the answers use (the sources' indexes and configuration). */
    Resolver resolver() {
        return resolver;
    }

    /**
     * Explains {@code what}: a device path ({@code /devices/...} or {@code /sys/devices/...}), a
     * MODALIAS or other alias (anything with a ':'), or a module name.
     */
    public List<String> explain(String what) {
        if (what.startsWith("/sys/devices/") || what.startsWith("/devices/")) {
            return device(what.startsWith("/sys/") ? what.substring(4) : what);
        }
        if (what.indexOf(':') < 0 && isModule(ModuleNames.normalize(what))) {
            return module(ModuleNames.normalize(what));
        }
        List<String> out = new ArrayList<>();
        alias(what, out, new java.util.HashSet<>());
        return out;
    }

    private boolean isModule(String name) {
        Module m = resolver.module(name);
        return m.path() != null || m.builtin() || modules.initState(name).isPresent();
    }

    // ---- a device ----

    private List<String> device(String devpath) {
        List<String> out = new ArrayList<>();
        Optional<SysfsDevice> found;
        try {
            found = SysfsDevices.device(sysRoot, devpath);
        } catch (IOException e) {
            out.add("device " + devpath + ": cannot read its uevent: " + e.getMessage());
            return out;
        }
        if (found.isEmpty()) {
            out.add("device " + devpath + ": no such device (no " + sysRoot.resolve(devpath.substring(1))
                    .resolve("uevent") + ")");
            return out;
        }
        SysfsDevice d = found.get();
        out.add("device " + d.devpath());
        out.add("  subsystem " + (d.subsystem().isEmpty() ? "-" : d.subsystem()));
        String driverModule = driverModule(d.devpath());
        out.add("  driver " + (d.driver().isEmpty() ? "- (none bound)"
                : d.driver() + (driverModule == null ? " (built in or no module link)" : " (module " + driverModule + ")")));
        Map<String, String> props = d.properties();
        for (String line : ueventLines(d.devpath())) {
            out.add("  uevent " + line);
        }
        UeventView view = view(d);
        List<RuleSet.Match> matches = new ArrayList<>();
        List<KmodLoad> loads = rules.trace(view, sysfs, matches);
        out.add("rules (an add event of this device)");
        if (matches.isEmpty()) {
            out.add("  no rule line matches");
        }
        for (RuleSet.Match m : matches) {
            out.add("  " + m.origin() + " " + String.join(", ", m.actions()));
        }
        if (loads.isEmpty()) {
            out.add("  no-match: no rule loads a module for this device"
                    + (props.containsKey("MODALIAS") ? "" : " (it has no MODALIAS)"));
            return out;
        }
        Set<String> shown = new LinkedHashSet<>();
        for (KmodLoad load : loads) {
            for (String target : load.targets(view)) {
                alias(target, out, shown);
            }
        }
        return out;
    }

    private List<String> ueventLines(String devpath) {
        try {
            List<String> lines = Files.readAllLines(sysRoot.resolve(devpath.substring(1)).resolve("uevent"),
                    StandardCharsets.UTF_8);
            return lines.stream().filter(l -> !l.isEmpty()).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The module that owns the driver bound to the device (its driver's {@code module} link), or null. */
    private String driverModule(String devpath) {
        Path drv = sysRoot.resolve(devpath.substring(1)).resolve("driver");
        try {
            Path module = drv.resolve("module");
            if (Files.isSymbolicLink(module)) {
                Path name = Files.readSymbolicLink(module).getFileName();
                return name == null ? null : name.toString();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static UeventView view(SysfsDevice d) {
        return new UeventView() {
            @Override
            public String action() {
                return "add";
            }

            @Override
            public String devpath() {
                return d.devpath();
            }

            @Override
            public String subsystem() {
                return d.subsystem().isEmpty() ? null : d.subsystem();
            }

            @Override
            public String driver() {
                return d.properties().get("DRIVER");
            }

            @Override
            public String property(String key) {
                return d.properties().get(key);
            }
        };
    }

    // ---- an alias ----

    private void alias(String alias, List<String> out, Set<String> shown) {
        out.add("lookup " + alias);
        Decision decision = Decision.of(resolver, alias, state);
        String normalized = ModuleNames.normalizeAlias(RawText.beforeNul(alias));
        if (decision.modules().isEmpty()) {
            out.add("  " + Reason.NO_MATCH.word() + ": no alias line of the configuration, no pattern of "
                    + ModuleDatabase.Index.ALIAS.file() + " or " + ModuleDatabase.Index.BUILTIN_ALIAS.file()
                    + " and no module name matches");
            return;
        }
        for (ModuleMatch m : resolver.lookup(alias)) {
            out.add("  " + matchLine(m, normalized));
        }
        for (Decision.Entry e : decision.modules()) {
            if (shown.add(e.name())) {
                moduleFacts(e.name(), e.reason(), out);
            } else {
                out.add("module " + e.name() + ": " + e.reason().word() + " (above)");
            }
        }
    }

    private String matchLine(ModuleMatch m, String normalized) {
        return switch (m.source()) {
            case CONFIG_ALIAS -> "matches alias " + m.alias() + " " + m.name() + " ("
                    + origin("alias", m.name(), m.alias()) + ")";
            case INDEX_ALIAS -> "matches " + patterns(indexAliases(), m.name(), normalized, ModuleDatabase.Index.ALIAS.file());
            case BUILTIN_ALIAS -> "matches " + patterns(builtinAliases(), m.name(), normalized,
                    ModuleDatabase.Index.BUILTIN_ALIAS.file());
            case MODULE_NAME -> "is the module " + m.name() + " (" + ModuleDatabase.Index.DEP.file() + ")";
            case BUILTIN -> "is the module " + m.name() + " (" + ModuleDatabase.Index.BUILTIN.file() + ")";
            case SYMBOL -> "is a symbol of " + m.name() + " (" + ModuleDatabase.Index.SYMBOL.file() + ")";
            case COMMAND -> "is named by an install or remove line (" + origin("install", m.name(), null) + ")";
        };
    }

    /** The patterns of an alias file that name {@code module} and match {@code normalized}, each with its line. */
    private static String patterns(List<String[]> aliases, String module, String normalized, String file) {
        List<String> hits = new ArrayList<>();
        for (String[] a : aliases) {
            if (a[1].equals(module) && Glob.matches(a[0], normalized)) {
                hits.add("alias " + a[0] + " " + module + " (" + file + ":" + a[2] + ")");
            }
        }
        return hits.isEmpty() ? "a pattern of " + file + " for " + module : String.join("; ", hits);
    }

    private List<String[]> indexAliases() {
        if (indexAliases == null) {
            indexAliases = readAliases(ModuleDatabase.Index.ALIAS.file());
        }
        return indexAliases;
    }

    private List<String[]> builtinAliases() {
        if (builtinAliases == null) {
            builtinAliases = readAliases(ModuleDatabase.Index.BUILTIN_ALIAS.file());
        }
        return builtinAliases;
    }

    /** {@code alias PATTERN MODULE} lines of a text index (pattern normalised as the lookup normalises, module, line number). */
    private List<String[]> readAliases(String file) {
        List<String[]> out = new ArrayList<>();
        Optional<byte[]> content = ConfigFileReader.read(moduleDir.resolve(file),
                moduleDir.resolve(file).toString(), ConfigFileReader.IfMissing.SKIP, w -> { });
        if (content.isEmpty()) {
            return out;
        }
        String[] lines = RawText.decode(content.get()).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] w = lines[i].trim().split("[ \t]+");
            if (w.length == 3 && w[0].equals("alias")) {
                String p = ModuleNames.normalizeAlias(w[1]);
                if (p != null) {
                    out.add(new String[] {p, w[2], Integer.toString(i + 1)});
                }
            }
        }
        return out;
    }

    // ---- a module ----

    private List<String> module(String name) {
        List<String> out = new ArrayList<>();
        // a module by its own name: the reasons of a lookup's module (Decision's)
        Reason reason = Decision.reason(resolver, new ModuleMatch(name, null, LookupSource.MODULE_NAME), state);
        moduleFacts(name, reason, out);
        wantedBy(name, out);
        return out;
    }

    /** The devices present whose rules and MODALIAS lead to the module (what makes udev or autoprobe load it). */
    private void wantedBy(String name, List<String> out) {
        List<String> wanting = new ArrayList<>();
        try {
            SysfsDevices.forEach(sysRoot, d -> {
                if (d.modalias().isEmpty() || wanting.size() >= 50) {
                    return;
                }
                UeventView view = view(d);
                for (KmodLoad load : rules.evaluate(view, sysfs)) {
                    for (String target : load.targets(view)) {
                        if (resolver.resolve(target, true).contains(name)) {
                            wanting.add(d.devpath() + " (" + shorten(target) + ")");
                            return;
                        }
                    }
                }
            }, w -> { });
        } catch (IOException | RuntimeException e) {
            out.add("  devices: cannot walk " + sysRoot.resolve("devices") + ": " + e.getMessage());
            return;
        }
        if (wanting.isEmpty()) {
            out.add("  wanted by no device present (loaded by hand, by another module's dependency, or by a name: see holders)");
        }
        for (String w : wanting) {
            out.add("  wanted by " + w);
        }
    }

    /** A MODALIAS cut for a line: at most {@value Abbrev#LINE} characters, the cut marked. */
    public static String shorten(String modalias) {
        return Abbrev.line(modalias);
    }

    private void moduleFacts(String name, Reason reason, List<String> out) {
        out.add("module " + name + ": " + reason.word());
        Module m = resolver.module(name);
        if (m.path() != null) {
            out.add("  file " + m.path());
        } else if (m.builtin()) {
            out.add("  built into the kernel (" + ModuleDatabase.Index.BUILTIN.file() + ")");
        } else {
            out.add("  no file: neither " + ModuleDatabase.Index.DEP.file() + " nor " + ModuleDatabase.Index.BUILTIN.file()
                    + " knows it");
        }
        for (ConfigLine c : config) {
            if (!c.module().equals(name) && !("softdep".equals(c.directive()) || "install".equals(c.directive())
                    || "remove".equals(c.directive())) || !matchesModule(c, name)) {
                continue;
            }
            switch (c.directive()) {
                case "blacklist" -> out.add("  blacklisted by " + c.origin());
                case "options" -> out.add("  options " + c.value() + " (" + c.origin() + ")");
                case "install" -> out.add("  install " + c.value() + " (" + c.origin() + ")");
                case "remove" -> out.add("  remove " + c.value() + " (" + c.origin() + ")");
                case "softdep" -> out.add("  softdep " + c.value() + " (" + c.origin() + ")");
                case "weakdep" -> out.add("  weakdep " + c.value() + " (" + c.origin() + ")");
                default -> { }
            }
        }
        if (reason.kind() != Reason.Kind.BLACKLISTED && !m.builtin() && (m.path() != null || m.installCommand() != null)) {
            List<LoadPlan> plans = resolver.assuming(n -> false).plan(name, new ProbeFlags(false, true, false, ProbeFlags.Blacklist.ALWAYS), null);
            for (LoadPlan p : plans) {
                List<String> steps = new ArrayList<>();
                for (LoadStep s : p.steps()) {
                    s.showDependsLine().ifPresent(l -> steps.add(l.strip()));
                }
                for (int i = 0; i < steps.size(); i++) {
                    out.add("  load " + (i + 1) + ": " + steps.get(i));
                }
            }
        }
        kernel(name, out);
        history.load(name).ifPresent(h -> out.add("  autoprobe: " + h));
        history.loadedFor(name).ifPresent(devpath -> rulesFor(name, devpath, out));
    }

    /** The rule lines that, for the device (as it is now), ask for what yields {@code module}. */
    private void rulesFor(String module, String devpath, List<String> out) {
        Optional<SysfsDevice> d;
        try {
            d = SysfsDevices.device(sysRoot, devpath);
        } catch (IOException e) {
            return;
        }
        if (d.isEmpty()) {
            out.add("  autoprobe: " + devpath + " is gone");
            return;
        }
        UeventView view = view(d.get());
        List<RuleSet.Match> matches = new ArrayList<>();
        rules.trace(view, sysfs, matches);
        for (RuleSet.Match m : matches) {
            out.add("  rule " + m.origin() + " " + String.join(", ", m.actions()));
        }
    }

    /** Whether a configuration line applies to the module: its name, or (install, remove, softdep) a glob matching it. */
    private static boolean matchesModule(ConfigLine c, String name) {
        if (c.module().equals(name)) {
            return true;
        }
        return Glob.hasWildcard(c.module()) && Glob.matches(c.module(), name);
    }

    private void kernel(String name, List<String> out) {
        Optional<InitState> init = modules.initState(name);
        if (init.isEmpty()) {
            out.add(state.isLive(name) ? "  kernel: live" : "  kernel: not loaded");
            return;
        }
        StringBuilder b = new StringBuilder("  kernel: ").append(init.get().name().toLowerCase(java.util.Locale.ROOT));
        OptionalInt refs = modules.refcount(name);
        refs.ifPresent(r -> b.append(", used by ").append(r));
        List<String> holders = modules.holders(name);
        if (!holders.isEmpty()) {
            b.append(", holders ").append(String.join(" ", holders));
        }
        List<String> drivers = boundDevices(name);
        if (!drivers.isEmpty()) {
            b.append(", drives ").append(String.join(" ", drivers));
        }
        out.add(b.toString());
    }

    /** The devices bound to the module's drivers ({@code <sys>/module/NAME/drivers/BUS:DRIVER/<device links>}). */
    private List<String> boundDevices(String name) {
        List<String> out = new ArrayList<>();
        Path drivers = modules.directory(name).resolve("drivers");
        try (var ds = Files.newDirectoryStream(drivers)) {
            for (Path drv : ds) {
                try (var devs = Files.newDirectoryStream(drv)) {
                    for (Path dev : devs) {
                        if (Files.isSymbolicLink(dev) && Files.isRegularFile(dev.resolve("uevent"))
                                && !dev.getFileName().toString().equals("module")) {
                            Path real = dev.toRealPath();
                            Path rel = sysRoot.toRealPath().relativize(real);
                            out.add("/" + rel);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // a driver directory gone meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        java.util.Collections.sort(out);
        return out;
    }

    /** Where a configuration line was written: the first line of that directive for that module (and value). */
    private String origin(String directive, String module, String value) {
        for (ConfigLine c : config) {
            if (c.directive().equals(directive) && c.module().equals(module) && (value == null || c.value().equals(value))) {
                return c.origin();
            }
        }
        return "configuration";
    }
}
