package org.autoprobe.core.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What depmod computes for one modules directory, immutable: the modules in depmod's order with
 * their transitive dependencies, the exported-symbol table in kmod's hash order, and the builtin
 * modules and aliases. {@link IndexWriter} turns it into kmod's files.
 */
public final class ModuleIndex {
    /** An alias (normalised) and the module it names. */
    record Alias(String alias, String module) {
    }

    /** An exported symbol and the module that provides it (the last exporter in module order). */
    record Symbol(String symbol, String module) {
    }

    private final String moduleDirectory;
    private final List<IndexedModule> modules;
    private final Map<String, IndexedModule> byName;
    private final List<Symbol> symbols;
    private final Map<String, String> symbolOwners;
    private final List<String> builtin;
    private final List<Alias> builtinAliases;

    ModuleIndex(String moduleDirectory, List<IndexedModule> modules, List<Symbol> symbols,
                List<String> builtin, List<Alias> builtinAliases) {
        this.moduleDirectory = moduleDirectory;
        this.modules = List.copyOf(modules);
        this.symbols = List.copyOf(symbols);
        this.builtin = builtin == null ? null : List.copyOf(builtin);
        this.builtinAliases = builtinAliases == null ? null : List.copyOf(builtinAliases);
        Map<String, IndexedModule> names = new HashMap<>(modules.size() * 2);
        for (IndexedModule m : modules) {
            names.put(m.name(), m);
        }
        this.byName = Map.copyOf(names);
        Map<String, String> owners = new HashMap<>(symbols.size() * 2);
        for (Symbol s : symbols) {
            owners.put(s.symbol(), s.module());
        }
        this.symbolOwners = Map.copyOf(owners);
    }

    /** The modules directory as depmod names it ({@code <root>/lib/modules/<kver>}). */
    String moduleDirectory() {
        return moduleDirectory;
    }

    /** Every module, in depmod's order (a module's priority is its position). */
    List<IndexedModule> modules() {
        return modules;
    }

    Optional<IndexedModule> module(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Exported symbols with their providers, in kmod's symbol-hash order ({@code modules.symbols}). */
    List<Symbol> symbols() {
        return symbols;
    }

    /** The module providing a symbol. */
    Optional<String> symbolOwner(String symbol) {
        return Optional.ofNullable(symbolOwners.get(symbol));
    }

    /** The names in {@code modules.builtin}, in file order; empty when the file was missing or not read. */
    Optional<List<String>> builtinModules() {
        return Optional.ofNullable(builtin);
    }

    /** The aliases of {@code modules.builtin.modinfo}, in file order; empty when missing or not read. */
    Optional<List<Alias>> builtinAliases() {
        return Optional.ofNullable(builtinAliases);
    }
}
