package org.autoprobe.core.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.resolve.Module;
import org.autoprobe.core.resolve.ModuleMatch;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;

/**
 * {@code modinfo}'s lookup through the resolver: libkmod's whole chain (config aliases, names,
 * {@code symbol:}, install/remove names, index aliases, builtins), plus the records of builtin
 * modules from {@code modules.builtin.modinfo}.
 */
public final class ResolverModuleLookup implements ModuleLookup {
    private final Path moddir;
    private final Resolver resolver;

    ResolverModuleLookup(Path moddir, Resolver resolver) {
        this.moddir = moddir;
        this.resolver = resolver;
    }

    /**
     * The lookup of the modules directory {@code moddir} with this configuration (modinfo's:
     * the system's modprobe.d and kernel command line, parsed by the caller).
     */
    public static ModuleLookup of(Path moddir, ModprobeConfig config) {
        return new ResolverModuleLookup(moddir, new Resolver(BinModuleDatabase.open(moddir), config,
                ModuleState.nothingLoaded()));
    }

    @Override
    public List<Found> lookup(String nameOrAlias) {
        List<Found> out = new ArrayList<>();
        for (ModuleMatch m : resolver.lookup(nameOrAlias)) {
            out.add(found(resolver.module(m)));
        }
        return out;
    }

    @Override
    public Optional<Found> byName(String name) {
        Module m = resolver.module(name);
        return m.path() == null && !m.builtin() ? Optional.empty() : Optional.of(found(m));
    }

    private static Found found(Module m) {
        return new Found(m.name(), m.path() == null ? Optional.empty() : Optional.of(Path.of(m.path())));
    }

    @Override
    public Optional<List<ModinfoField>> builtinModinfo(String name) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(moddir.resolve("modules.builtin.modinfo"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        // records "module.key=value\0"; the module's first run of consecutive records counts
        String prefix = name + ".";
        List<ModinfoField> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                if (i > start) {
                    String rec = new String(data, start, i - start, StandardCharsets.ISO_8859_1);
                    if (rec.startsWith(prefix)) {
                        out.add(ModinfoField.parse(rec.substring(prefix.length())));
                    } else if (!out.isEmpty()) {
                        break;
                    }
                }
                start = i + 1;
            }
        }
        if (out.isEmpty()) {
            // kmod 30 says ENOSYS here: libkmod cannot read a builtin's records it does not find
            throw new IOException("could not get modinfo from '" + name + "': " + Errno.ENOSYS.message());
        }
        return Optional.of(out);
    }
}
