package org.autoprobe.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.KernelCall;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.kernel.ModuleSyscalls;

/**
 * A kernel in memory that answers like Linux does: a module file must be {@link #define defined}
 * first (its name, the modules whose symbols it uses, the parameters it accepts); inserting it needs
 * those modules loaded (else ENOENT, "unknown symbol"), a second insert gives EEXIST, an unknown
 * parameter ENOENT; a loaded module counts one reference per module using it and lists those as its
 * holders; removal refuses a module with holders (EAGAIN, even forced), one with other users
 * (EAGAIN) or without an exit function (EBUSY) unless forced. Failures can be injected per module.
 * Every call is logged ({@link #calls()}). Not thread-safe.
 */
public final class InMemoryKernel implements Kernel {
    /** What a module file holds. */
    private record Definition(String name, List<String> uses, Set<String> params, long size, boolean permanent) {
    }

    private static final class Loaded {
        final Definition def;
        final Map<String, String> params;
        final List<String> holders = new ArrayList<>();
        int users;

        Loaded(Definition def, Map<String, String> params) {
            this.def = def;
            this.params = params;
        }
    }

    private final Map<Path, Definition> files = new HashMap<>();
    private final Map<String, Loaded> loaded = new LinkedHashMap<>();
    private final Set<String> builtin = new HashSet<>();
    private final Map<String, Errno> insertFailures = new HashMap<>();
    private final Map<String, Errno> removeFailures = new HashMap<>();
    private final List<String> calls = new ArrayList<>();

    /**
     * Defines what a module file holds.
     *
     * @param uses the modules whose symbols it needs (they become its holders' targets)
     */
    public InMemoryKernel define(Path file, String name, String... uses) {
        files.put(file, new Definition(name, List.of(uses), null, 16384, false));
        return this;
    }

    /** Restricts the parameters a defined module accepts (by default any). */
    public InMemoryKernel acceptOnly(Path file, String... params) {
        Definition d = definition(file);
        files.put(file, new Definition(d.name(), d.uses(), Set.of(params), d.size(), d.permanent()));
        return this;
    }

    /** Marks a defined module as having no exit function: removal needs force. */
    public InMemoryKernel permanent(Path file) {
        Definition d = definition(file);
        files.put(file, new Definition(d.name(), d.uses(), d.params(), d.size(), true));
        return this;
    }

    /** A module built into the kernel (visible in sysfs, never in /proc/modules). */
    public InMemoryKernel builtin(String name) {
        builtin.add(name);
        return this;
    }

    /** Every insert of this module fails with {@code errno} until {@link #clearFailures()}. */
    public InMemoryKernel failInsert(String name, Errno errno) {
        insertFailures.put(name, errno);
        return this;
    }

    /** Every removal of this module fails with {@code errno} until {@link #clearFailures()}. */
    public InMemoryKernel failRemove(String name, Errno errno) {
        removeFailures.put(name, errno);
        return this;
    }

    public void clearFailures() {
        insertFailures.clear();
        removeFailures.clear();
    }

    /** Someone outside the module system (an open device) takes a reference. */
    public void use(String name) {
        loadedOrThrow(name).users++;
    }

    /** That reference is dropped. */
    public void release(String name) {
        Loaded l = loadedOrThrow(name);
        if (l.users == 0) {
            throw new IllegalStateException(name + " has no outside users");
        }
        l.users--;
    }

    /** The calls made, in order: {@code finit_module NAME PARAMS FLAGS} and {@code delete_module NAME FLAGS}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
        String params = parameters == null ? "" : parameters;
        Definition d = files.get(file);
        if (d == null) {
            throw KernelCall.OPEN.failure(file.toString(), Errno.ENOENT);
        }
        calls.add("finit_module " + d.name() + " " + params + " " + flags.kernelFlags());
        Errno injected = insertFailures.get(d.name());
        if (injected != null) {
            throw KernelCall.FINIT_MODULE.failure(d.name(), injected);
        }
        if (loaded.containsKey(d.name()) || builtin.contains(d.name())) {
            throw KernelCall.FINIT_MODULE.failure(d.name(), Errno.EEXIST);
        }
        for (String u : d.uses()) {
            if (!loaded.containsKey(u) && !builtin.contains(u)) {
                throw KernelCall.FINIT_MODULE.failure(d.name(), Errno.ENOENT);
            }
        }
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String token : params.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            String key = eq < 0 ? token : token.substring(0, eq);
            if (d.params() != null && !d.params().contains(key)) {
                throw KernelCall.FINIT_MODULE.failure(d.name(), Errno.ENOENT);
            }
            parsed.put(key, eq < 0 ? "Y" : token.substring(eq + 1));
        }
        loaded.put(d.name(), new Loaded(d, parsed));
        for (String u : d.uses()) {
            Loaded dep = loaded.get(u);
            if (dep != null) {
                dep.holders.add(d.name());
            }
        }
    }

    @Override
    public void remove(String name, boolean force) throws SyscallException {
        int flags = ModuleSyscalls.O_NONBLOCK | (force ? ModuleSyscalls.O_TRUNC : 0);
        calls.add("delete_module " + name + " " + Integer.toOctalString(flags));
        Errno injected = removeFailures.get(name);
        if (injected != null) {
            throw KernelCall.DELETE_MODULE.failure(name, injected);
        }
        Loaded l = loaded.get(name);
        if (l == null) {
            throw KernelCall.DELETE_MODULE.failure(name, Errno.ENOENT);
        }
        if (!l.holders.isEmpty()) {
            throw KernelCall.DELETE_MODULE.failure(name, Errno.EAGAIN,
                    " by: " + String.join(" ", l.holders));
        }
        if (l.def.permanent() && !force) {
            throw KernelCall.DELETE_MODULE.failure(name, Errno.EBUSY);
        }
        if (l.users > 0 && !force) {
            throw KernelCall.DELETE_MODULE.failure(name, Errno.EAGAIN);
        }
        loaded.remove(name);
        for (String u : l.def.uses()) {
            Loaded dep = loaded.get(u);
            if (dep != null) {
                dep.holders.remove(name);
            }
        }
    }

    @Override
    public List<LoadedModule> loaded() {
        List<LoadedModule> out = new ArrayList<>();
        for (Loaded l : loaded.values()) {
            out.add(0, new LoadedModule(l.def.name(), l.def.size(), refs(l), l.holders, InitState.LIVE));
        }
        return out;
    }

    @Override
    public Optional<InitState> initState(String name) {
        if (loaded.containsKey(name)) {
            return Optional.of(InitState.LIVE);
        }
        return builtin.contains(name) ? Optional.of(InitState.BUILTIN) : Optional.empty();
    }

    @Override
    public OptionalInt refcount(String name) {
        Loaded l = loaded.get(name);
        return l == null ? OptionalInt.empty() : OptionalInt.of(refs(l));
    }

    @Override
    public List<String> holders(String name) {
        Loaded l = loaded.get(name);
        return l == null ? List.of() : List.copyOf(l.holders);
    }

    @Override
    public OptionalLong size(String name) {
        Loaded l = loaded.get(name);
        return l == null ? OptionalLong.empty() : OptionalLong.of(l.def.size());
    }

    @Override
    public Map<String, String> parameters(String name) {
        Loaded l = loaded.get(name);
        return l == null ? Map.of() : Map.copyOf(l.params);
    }

    private static int refs(Loaded l) {
        return l.holders.size() + l.users;
    }

    private Definition definition(Path file) {
        Definition d = files.get(file);
        if (d == null) {
            throw new IllegalArgumentException("define " + file + " first");
        }
        return d;
    }

    private Loaded loadedOrThrow(String name) {
        Loaded l = loaded.get(name);
        if (l == null) {
            throw new IllegalStateException(name + " is not loaded");
        }
        return l;
    }
}
