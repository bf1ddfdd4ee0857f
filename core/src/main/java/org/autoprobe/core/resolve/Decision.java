package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What udev's module loading makes of one alias (a device's MODALIAS, or a name a rule gives),
 * module by module, each with its {@link Reason}: the answer {@code devices} and {@code explain}
 * print and the daemon counts.
 *
 * @param alias   the alias as given
 * @param modules the modules the lookup yields, each once, in kmod's order, blacklisted ones
 *                included (with {@link Reason#BLACKLISTED}); empty for {@link Reason#NO_MATCH}
 */
public record Decision(String alias, List<Entry> modules) {
    /**
     * One module of a decision.
     *
     * @param name   the module's name
     * @param source the lookup source that yielded it (config alias, index alias, built-in, ...)
     * @param reason what becomes of it
     */
    public record Entry(String name, LookupSource source, Reason reason) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public Decision {
        Objects.requireNonNull(alias, "alias");
        modules = List.copyOf(modules);
    }

    /**
     * The decision for {@code alias} with {@code resolver}'s indexes and configuration; whether a
     * module is in the kernel is asked of {@code state}. Per module, the first that holds:
     * blacklisted, built-in, loaded, install-command, alias-to-missing (no file in modules.dep),
     * would-load.
     */
    public static Decision of(Resolver resolver, String alias, ModuleState state) {
        Map<String, ModuleMatch> first = new LinkedHashMap<>();
        for (ModuleMatch m : resolver.lookup(alias)) {
            first.putIfAbsent(m.name(), m);
        }
        List<Entry> out = new ArrayList<>(first.size());
        for (ModuleMatch m : first.values()) {
            out.add(new Entry(m.name(), m.source(), reason(resolver, m, state)));
        }
        return new Decision(alias, out);
    }

    /** The reason of one module a lookup yielded (the rules of {@link #of}). */
    public static Reason reason(Resolver resolver, ModuleMatch m, ModuleState state) {
        if (resolver.blacklisted(m.name())) {
            return Reason.BLACKLISTED;
        }
        Module module = resolver.module(m);
        if (module.builtin()) {
            return Reason.BUILT_IN;
        }
        if (state.isLive(m.name())) {
            return Reason.LOADED;
        }
        if (module.installCommand() != null) {
            return Reason.INSTALL_COMMAND;
        }
        if (module.path() == null) {
            return Reason.ALIAS_TO_MISSING;
        }
        return Reason.WOULD_LOAD;
    }

    /** {@link Reason#NO_MATCH} when nothing matched; else the first entry's reason that is not blacklisted, or blacklisted. */
    public Reason summary() {
        if (modules.isEmpty()) {
            return Reason.NO_MATCH;
        }
        for (Entry e : modules) {
            if (e.reason().kind() != Reason.Kind.BLACKLISTED) {
                return e.reason();
            }
        }
        return Reason.BLACKLISTED;
    }

    /** The modules udev would load (or has): the names whose reason is not blacklisted, in order. */
    List<String> wanted() {
        List<String> names = new ArrayList<>();
        for (Entry e : modules) {
            if (e.reason().kind() != Reason.Kind.BLACKLISTED) {
                names.add(e.name());
            }
        }
        return names;
    }
}
