package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;

/**
 * What kmod's modprobe decides, over one modules directory's indexes and one configuration:
 * lookups, module facts and load plans. Thread-safe: each call works on its own module objects,
 * as one modprobe run works on one libkmod context.
 */
public final class Resolver {
    private final ModuleDatabase db;
    private final ModprobeConfig config;
    private final ModuleState state;
    private final Consumer<String> errors;
    private final ConfigAliasIndex aliases;

    /**
     * @param errors receives libkmod's error messages (without the {@code modprobe: ERROR: } prefix),
     *               e.g. a softdep name that cannot be looked up
     */
    public Resolver(ModuleDatabase db, ModprobeConfig config, ModuleState state, Consumer<String> errors) {
        this.db = Objects.requireNonNull(db, "db");
        this.config = Objects.requireNonNull(config, "config");
        this.state = Objects.requireNonNull(state, "state");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.aliases = new ConfigAliasIndex(config.aliases());
    }

    public Resolver(ModuleDatabase db, ModprobeConfig config, ModuleState state) {
        this(db, config, state, message -> { });
    }

    /**
     * The same indexes and configuration over another kernel state: with
     * {@link ModuleState#nothingLoaded()}, the plans a freshly booted kernel would need (the daemon's
     * boot plan is made that way, whatever this boot had loaded already).
     */
    public Resolver assuming(ModuleState otherState) {
        return new Resolver(db, config, otherState, errors);
    }

    /** The modules directory, as kmod names it in "not found" messages. */
    public String moduleDirectory() {
        return db.moduleDirectory().toString();
    }

    /** kmod_module_new_from_lookup: the modules a name or alias yields, duplicates kept. */
    public List<ModuleMatch> lookup(String nameOrAlias) {
        List<ModulePool.Hit> hits = newSession().lookup(nameOrAlias);
        List<ModuleMatch> matches = new ArrayList<>(hits.size());
        for (ModulePool.Hit hit : hits) {
            matches.add(hit.match());
        }
        return Collections.unmodifiableList(matches);
    }

    /**
     * The plans modprobe makes for a name or alias: one per module the lookup yields, in order
     * (empty when nothing is found).
     *
     * @param extraOptions options given on the command line, for the asked-for module only; may be null
     */
    public List<LoadPlan> plan(String nameOrAlias, ProbeFlags flags, String extraOptions) {
        List<LoadPlan> plans = new ArrayList<>();
        plan(nameOrAlias, flags, extraOptions, plans::add);
        return plans;
    }

    /**
     * {@link #plan(String, ProbeFlags, String)} one module at a time, as modprobe goes: each plan is
     * handed to {@code each} before the next module is planned, so that what {@code each} logs comes
     * before the messages of planning the next one.
     *
     * @return how many modules the lookup yielded (0: nothing was found)
     */
    public int plan(String nameOrAlias, ProbeFlags flags, String extraOptions, Consumer<LoadPlan> each) {
        Session s = newSession();
        List<ModulePool.Hit> hits = s.lookup(nameOrAlias);
        for (ModulePool.Hit hit : hits) {
            each.accept(s.plan(hit, flags, extraOptions));
        }
        return hits.size();
    }

    /**
     * For {@code autoprobe resolve}: the module names an alias yields, each once, in kmod's order.
     * With {@code applyBlacklist}, blacklisted names are left out whatever source found them (as
     * udev's module loading does).
     */
    public List<String> resolve(String alias, boolean applyBlacklist) {
        Set<String> names = new LinkedHashSet<>();
        for (ModuleMatch m : lookup(alias)) {
            if (!applyBlacklist || !config.blacklist().contains(m.name())) {
                names.add(m.name());
            }
        }
        return List.copyOf(names);
    }

    /** Whether a {@code blacklist} line (or {@code modprobe.blacklist=}) names this module. */
    public boolean blacklisted(String name) {
        return config.blacklist().contains(name);
    }

    /** The line {@code autoprobe resolve} prints: {@code alias\tmod1 mod2}, or {@code alias\t-}. */
    public String resolveLine(String alias, boolean applyBlacklist) {
        return alias + "\t" + column(resolve(alias, applyBlacklist));
    }

    /** What {@code autoprobe resolve} prints after the tab for these names: them space separated, or {@code -}. */
    public static String column(List<String> names) {
        return names.isEmpty() ? "-" : String.join(" ", names);
    }

    /** What libkmod knows of a module a lookup yielded. */
    public Module module(ModuleMatch match) {
        ModulePool pool = new ModulePool(db, config, aliases, errors);
        Node node = match.alias() == null ? pool.byName(match.name()) : pool.byAlias(match.alias(), match.name());
        if (match.source() == LookupSource.BUILTIN || match.source() == LookupSource.BUILTIN_ALIAS) {
            node.builtin = true;
        }
        String path = pool.path(node);
        List<String> deps = new ArrayList<>();
        for (Node d : pool.dependencies(node)) {
            deps.add(0, d.path);
        }
        ModprobeConfig.SoftDep sd = pool.softdepLine(node.name);
        String options = pool.options(node);
        return new Module(node.name, node.alias, path, deps, pool.builtin(node), options == null ? "" : options,
                pool.install(node), pool.remove(node), sd == null ? List.of() : sd.pre(),
                sd == null ? List.of() : sd.post());
    }

    /** A name by itself (the module-name source). */
    public Module module(String name) {
        return module(new ModuleMatch(ModulePool.modname(name), null, LookupSource.MODULE_NAME));
    }

    Session newSession() {
        return newSession(errors);
    }

    Session newSession(Consumer<String> sessionErrors) {
        return new Session(new ModulePool(db, config, aliases, sessionErrors), state);
    }

    /** One libkmod context's worth of module objects: a lookup and the probes of its results. */
    static final class Session {
        private final ModulePool pool;
        private final Planner planner;

        Session(ModulePool pool, ModuleState state) {
            this.pool = pool;
            this.planner = new Planner(pool, state);
        }

        List<ModulePool.Hit> lookup(String nameOrAlias) {
            return pool.lookup(nameOrAlias);
        }

        LoadPlan plan(ModulePool.Hit hit, ProbeFlags flags, String extraOptions) {
            return planner.plan(hit, flags, extraOptions);
        }
    }
}
