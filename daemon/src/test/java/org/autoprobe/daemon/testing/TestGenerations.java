package org.autoprobe.daemon.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.daemon.cache.CachingResolver;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.rules.udev.SysfsView;
import org.autoprobe.rules.udev.UdevRulesLoader;

/** Generations over a test index, with autoprobe's default rules. */
public final class TestGenerations {
    private TestGenerations() {
    }

    public static Generation of(long id, ModuleDatabase db, ModprobeConfig config, ModuleState state, Path sys) {
        return new Generation(id, UdevRulesLoader.defaults(w -> {
            throw new AssertionError(w);
        }), CachingResolver.wrap(new Resolver(db, config, state)), SysfsView.at(sys), db.moduleDirectory(),
                Instant.EPOCH, List.of());
    }

    public static Generation of(long id, ModuleDatabase db, ModuleState state) {
        return of(id, db, ModprobeConfig.EMPTY, state, Path.of("/nonexistent-sys"));
    }
}
