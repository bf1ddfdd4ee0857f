package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.List;

/**
 * libkmod's probe decision ({@code kmod_module_probe_insert_module}) for one module object of a
 * pool: the in-kernel and blacklist checks, the probe list (dependencies, softdeps, install
 * commands) and one step per entry.
 */
final class Planner {
    private final ModulePool pool;
    private final ModuleState state;

    Planner(ModulePool pool, ModuleState state) {
        this.pool = pool;
        this.state = state;
    }

    LoadPlan plan(ModulePool.Hit hit, ProbeFlags flags, String extraOptions) {
        Node mod = hit.node();
        ModuleMatch target = hit.match();
        if (!flags.ignoreLoaded() && inKernel(mod)) {
            return new LoadPlan(target, flags.failOnLoaded() ? LoadPlan.Outcome.ALREADY_LOADED_ERROR
                    : LoadPlan.Outcome.ALREADY_LOADED, List.of());
        }
        boolean check = switch (flags.blacklist()) {
            case NONE -> false;
            case ALIAS_ONLY -> mod.alias != null;
            case ALWAYS, ALL -> true;
        };
        if (check && pool.blacklisted(mod)) {
            return new LoadPlan(target, LoadPlan.Outcome.BLACKLISTED, List.of());
        }
        List<Node> list = probeList(mod, flags.ignoreCommands());
        if (flags.blacklist() == ProbeFlags.Blacklist.ALL) {
            list.removeIf(pool::blacklisted);
            if (list.isEmpty()) {
                return new LoadPlan(target, LoadPlan.Outcome.BLACKLISTED, List.of());
            }
        }
        List<LoadStep> steps = new ArrayList<>(list.size());
        for (Node m : list) {
            steps.add(step(m, m == mod ? extraOptions : null, flags));
        }
        return new LoadPlan(target, LoadPlan.Outcome.LOAD, steps);
    }

    private LoadStep step(Node m, String extraOptions, ProbeFlags flags) {
        String options = concat(pool.options(m), extraOptions);
        if (!flags.ignoreLoaded() && inKernel(m)) {
            return new LoadStep(LoadStep.Kind.ALREADY_LOADED, m.name, null, null, options, m.required);
        }
        String command = pool.install(m);
        if (command != null && !m.ignoreCommand) {
            return new LoadStep(LoadStep.Kind.INSTALL, m.name, null, command, options, m.required);
        }
        String path = pool.path(m);
        if (path != null) {
            return new LoadStep(LoadStep.Kind.INSMOD, m.name, path, null, options, m.required);
        }
        LoadStep.Kind kind = pool.builtin(m) ? LoadStep.Kind.BUILTIN : LoadStep.Kind.MISSING;
        return new LoadStep(kind, m.name, null, null, options, m.required);
    }

    /** module_is_inkernel: builtin per modules.builtin, or live per the kernel. */
    private boolean inKernel(Node m) {
        return pool.builtin(m) || state.isLive(m.name);
    }

    /**
     * libkmod's option joining: config options, then a space, then the extra options; a module
     * with config options and no extra ones keeps a trailing space.
     */
    static String concat(String options, String extra) {
        boolean noOpt = options == null || options.isEmpty();
        boolean noExtra = extra == null || extra.isEmpty();
        if (noOpt && noExtra) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (options != null) {
            sb.append(options).append(' ');
        }
        if (extra != null) {
            sb.append(extra);
        }
        return sb.toString();
    }

    // ---- the probe list (kmod_module_get_probe_list) ----

    private List<Node> probeList(Node mod, boolean ignoreCommand) {
        for (Node n : pool.nodes()) {
            n.visited = false;
            n.required = false;
        }
        List<Node> list = new ArrayList<>();
        visit(mod, true, ignoreCommand, list);
        return list;
    }

    private void visit(Node mod, boolean required, boolean ignoreCommand, List<Node> list) {
        if (mod.visited) {
            return;
        }
        mod.visited = true;
        List<Node> deps = pool.dependencies(mod);
        if (required) {
            mod.required = true;
            for (Node d : deps) {
                d.required = true;
            }
        }
        for (Node d : deps) {
            withSoftdeps(d, list);
        }
        if (ignoreCommand) {
            list.add(mod);
            mod.ignoreCommand = true;
        } else {
            withSoftdeps(mod, list);
        }
    }

    /** The pre softdeps' chains, the module itself, the post softdeps' chains. */
    private void withSoftdeps(Node mod, List<Node> list) {
        ModulePool.Soft soft = pool.softdeps(mod);
        for (Node p : soft.pre()) {
            visit(p, false, false, list);
        }
        list.add(mod);
        mod.ignoreCommand = !soft.isEmpty();
        for (Node p : soft.post()) {
            visit(p, false, false, list);
        }
    }
}
