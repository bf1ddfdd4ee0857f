package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import org.autoprobe.core.match.Glob;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase.Index;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.text.RawText;

/**
 * The module objects of one resolution session (one modprobe invocation's context), keyed as
 * libkmod keys its pool ({@code name}, or {@code name\alias}), with the lookup chain and the lazy
 * per-module facts read from the indexes and the configuration.
 */
final class ModulePool {
    /** One result of the lookup chain: the module object and the source that yielded it. */
    record Hit(Node node, LookupSource source) {
        ModuleMatch match() {
            return new ModuleMatch(node.name, node.alias, source);
        }
    }

    /** A module's soft dependencies, each already looked up. */
    record Soft(List<Node> pre, List<Node> post) {
        boolean isEmpty() {
            return pre.isEmpty() && post.isEmpty();
        }
    }

    private final ModuleDatabase db;
    private final ModprobeConfig config;
    private final ConfigAliasIndex aliases;
    private final Consumer<String> errors;
    private final String dirname;
    private final Map<String, Node> nodes = new HashMap<>();

    ModulePool(ModuleDatabase db, ModprobeConfig config, Consumer<String> errors) {
        this(db, config, new ConfigAliasIndex(config.aliases()), errors);
    }

    /** @param aliases {@code config}'s alias lines, indexed (built once per configuration, shared by sessions) */
    ModulePool(ModuleDatabase db, ModprobeConfig config, ConfigAliasIndex aliases, Consumer<String> errors) {
        this.db = db;
        this.config = config;
        this.aliases = aliases;
        this.errors = errors;
        this.dirname = db.moduleDirectory().toString();
    }

    String dirname() {
        return dirname;
    }

    Collection<Node> nodes() {
        return nodes.values();
    }

    /** kmod's modname_normalize: '-' to '_', stopping at the first '.'. */
    static String modname(String s) {
        int dot = s.indexOf('.');
        return ModuleNames.normalize(dot < 0 ? s : s.substring(0, dot));
    }

    Node byName(String name) {
        String n = modname(name);
        return nodes.computeIfAbsent(n, k -> new Node(n, null));
    }

    Node byAlias(String alias, String name) {
        return nodes.computeIfAbsent(name + "\\" + alias, k -> new Node(name, alias));
    }

    /** A dependency named by its file; null when a module of that name already has another path. */
    private Node byPath(String path) {
        int slash = path.lastIndexOf('/');
        String name = modname(path.substring(slash + 1));
        Node node = nodes.get(name);
        if (node == null) {
            node = new Node(name, null);
            nodes.put(name, node);
            node.path = path;
        } else if (node.path == null) {
            node.path = path;
        } else if (!node.path.equals(path)) {
            errors.accept("kmod_module '" + name + "' already exists with different path: new-path='" + path
                    + "' old-path='" + node.path + "'");
            return null;
        }
        node.builtin = false;
        return node;
    }

    // ---- the lookup chain (kmod_module_new_from_lookup) ----

    /** The chain's result for {@code given}; empty when nothing matched or the alias is invalid. */
    List<Hit> lookup(String given) {
        // kmod gets a C string: a NUL ends it, whatever follows
        String s = ModuleNames.normalizeAlias(RawText.beforeNul(given));
        List<Hit> hits = new ArrayList<>();
        if (s == null) {
            return hits;
        }
        if (fromConfig(s, hits) || fromModDep(s, hits) || fromSymbols(s, hits) || fromCommands(s, hits)
                || fromIndex(Index.ALIAS, LookupSource.INDEX_ALIAS, s, hits) || fromBuiltin(s, hits)) {
            return hits;
        }
        fromIndex(Index.BUILTIN_ALIAS, LookupSource.BUILTIN_ALIAS, s, hits);
        for (Hit hit : hits) {
            hit.node().builtin = true;
        }
        return hits;
    }

    private boolean fromConfig(String s, List<Hit> hits) {
        for (ModprobeConfig.Alias a : aliases.matches(s)) {
            hits.add(new Hit(byAlias(a.pattern(), a.module()), LookupSource.CONFIG_ALIAS));
        }
        return !hits.isEmpty();
    }

    private boolean fromModDep(String s, List<Hit> hits) {
        if (s.indexOf(':') >= 0) {
            return false;
        }
        Optional<String> line = db.lookup(Index.DEP, s);
        if (line.isEmpty()) {
            return false;
        }
        Node node = byName(s);
        parseDepLine(node, line.get());
        hits.add(new Hit(node, LookupSource.MODULE_NAME));
        return true;
    }

    private boolean fromSymbols(String s, List<Hit> hits) {
        return s.startsWith("symbol:") && fromIndex(Index.SYMBOL, LookupSource.SYMBOL, s, hits);
    }

    private boolean fromIndex(Index index, LookupSource source, String s, List<Hit> hits) {
        for (String value : db.match(index, s)) {
            hits.add(new Hit(byAlias(s, value), source));
        }
        return !hits.isEmpty();
    }

    private boolean fromCommands(String s, List<Hit> hits) {
        for (ModprobeConfig.Command c : config.installs()) {
            if (c.module().equals(s)) {
                Node node = byName(c.module());
                node.install = c.command();
                node.installInit = true;
                hits.add(new Hit(node, LookupSource.COMMAND));
                return true;
            }
        }
        for (ModprobeConfig.Command c : config.removes()) {
            if (c.module().equals(s)) {
                Node node = byName(c.module());
                node.remove = c.command();
                node.removeInit = true;
                hits.add(new Hit(node, LookupSource.COMMAND));
                return true;
            }
        }
        return false;
    }

    private boolean fromBuiltin(String s, List<Hit> hits) {
        if (db.lookup(Index.BUILTIN, s).isEmpty()) {
            return false;
        }
        Node node = byName(s);
        node.builtin = true;
        hits.add(new Hit(node, LookupSource.BUILTIN));
        return true;
    }

    // ---- per-module facts ----

    /** Fills path and dependencies from a modules.dep value {@code path: dep dep...}. */
    private void parseDepLine(Node node, String line) {
        if (node.depInit) {
            return;
        }
        node.depInit = true;
        int colon = line.indexOf(':');
        if (colon < 0) {
            return;
        }
        if (node.path == null) {
            node.path = join(line.substring(0, colon));
        }
        List<Node> deps = new ArrayList<>();
        int end = line.length();
        for (int i = colon + 1; i < end; ) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < end && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            Node dep = byPath(join(line.substring(start, i)));
            if (dep == null) {
                node.depInit = false;
                node.deps = List.of();
                return;
            }
            deps.add(0, dep);
        }
        node.deps = List.copyOf(deps);
    }

    private String join(String path) {
        return path.startsWith("/") ? path : dirname + "/" + path;
    }

    private void loadDep(Node node) {
        if (!node.depInit) {
            db.lookup(Index.DEP, node.name).ifPresent(line -> parseDepLine(node, line));
        }
    }

    /** The dependencies in load order (the modules.dep list reversed). */
    List<Node> dependencies(Node node) {
        loadDep(node);
        return node.deps;
    }

    /** The module's file, or null (builtin, or not in modules.dep). */
    String path(Node node) {
        if (node.path == null) {
            loadDep(node);
        }
        return node.path;
    }

    boolean builtin(Node node) {
        if (node.builtin == null) {
            node.builtin = db.lookup(Index.BUILTIN, node.name).isPresent();
        }
        return node.builtin;
    }

    /** The options lines for the name or the alias, in config order, joined by spaces; null if none. */
    String options(Node node) {
        if (!node.optionsInit) {
            StringBuilder sb = new StringBuilder();
            for (ModprobeConfig.Options o : config.options()) {
                boolean applies = o.module().equals(node.name) || (node.alias != null && o.module().equals(node.alias));
                if (!applies || o.options().isEmpty()) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(o.options());
            }
            node.options = sb.length() == 0 ? null : sb.toString();
            node.optionsInit = true;
        }
        return node.options;
    }

    /** The first install command whose glob matches the name, or null. */
    String install(Node node) {
        if (!node.installInit) {
            node.install = firstCommand(config.installs(), node.name);
            node.installInit = true;
        }
        return node.install;
    }

    /** The first remove command whose glob matches the name, or null. */
    String remove(Node node) {
        if (!node.removeInit) {
            node.remove = firstCommand(config.removes(), node.name);
            node.removeInit = true;
        }
        return node.remove;
    }

    private static String firstCommand(List<ModprobeConfig.Command> commands, String name) {
        for (ModprobeConfig.Command c : commands) {
            if (Glob.matches(c.module(), name)) {
                return c.command();
            }
        }
        return null;
    }

    /** The first softdep line whose glob matches the name, every listed name looked up. */
    Soft softdeps(Node node) {
        ModprobeConfig.SoftDep line = softdepLine(node.name);
        if (line == null) {
            return new Soft(List.of(), List.of());
        }
        return new Soft(lookupAll(line.pre()), lookupAll(line.post()));
    }

    ModprobeConfig.SoftDep softdepLine(String name) {
        for (ModprobeConfig.SoftDep sd : config.softdeps()) {
            if (Glob.matches(sd.module(), name)) {
                return sd;
            }
        }
        return null;
    }

    private List<Node> lookupAll(List<String> names) {
        List<Node> out = new ArrayList<>();
        for (String name : names) {
            if (ModuleNames.normalizeAlias(name) == null) {
                errors.accept("failed to lookup soft dependency '" + name + "', continuing anyway.");
                continue;
            }
            for (Hit hit : lookup(name)) {
                out.add(hit.node());
            }
        }
        return out;
    }

    boolean blacklisted(Node node) {
        return config.blacklist().contains(node.name);
    }
}
