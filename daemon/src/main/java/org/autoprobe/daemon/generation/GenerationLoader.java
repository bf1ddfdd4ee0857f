package org.autoprobe.daemon.generation;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.text.RawText;
import org.autoprobe.daemon.cache.CachingResolver;
import org.autoprobe.rules.files.ConfigFileReader;
import org.autoprobe.rules.files.ReadProblems;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;
import org.autoprobe.rules.udev.RuleSet;
import org.autoprobe.rules.udev.SysfsView;
import org.autoprobe.rules.udev.UdevRulesLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link Generation}s from their {@link GenerationSources}: the {@code .bin} indexes, the
 * modprobe configuration with the kernel command line, the rules. Problems (a missing index, a bad
 * configuration or rules line) are logged once per build as warnings and kept in the generation;
 * they never stop the build. Sources that could not be read (a missing or unreadable
 * {@code modules.dep.bin} or {@code modules.alias.bin}; a configuration, rules or command line
 * file or directory that gave an I/O error or vanished while being read) are also kept apart in
 * {@link Generation#unreadable()}: the daemon does not swap in such a generation over a complete
 * one. A bad line or a skipped file (a FIFO, a device, a file over 4 MiB) is not such a failure.
 */
public final class GenerationLoader {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationLoader.class);

    private final GenerationSources sources;
    private final ModuleState state;
    private final Clock clock;

    /** @param state what the kernel has loaded (for the "already loaded" check of a plan) */
    public GenerationLoader(GenerationSources sources, ModuleState state) {
        this(sources, state, Clock.systemUTC());
    }

    GenerationLoader(GenerationSources sources, ModuleState state, Clock clock) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    GenerationSources sources() {
        return sources;
    }

    /** Builds generation number {@code id}. */
    public Generation load(long id) {
        List<String> problems = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        ReadProblems problem = new ReadProblems() {
            @Override
            public void accept(String p) {
                problems.add(p);
                LOG.warn("{}", p);
            }

            @Override
            public void unreadable(String p) {
                unreadable.add(p);
                accept(p);
            }
        };
        BinModuleDatabase db = BinModuleDatabase.open(sources.moduleDir());
        for (ModuleDatabase.Index index : List.of(ModuleDatabase.Index.DEP, ModuleDatabase.Index.ALIAS)) {
            db.problem(index).ifPresent(e -> problem.unreadable(sources.moduleDir().resolve(index.file() + ".bin")
                    + ": cannot read: " + describe(e) + " (run depmod)"));
        }
        ModprobeConfigLoader.Traced traced = ModprobeConfigLoader.loadTraced(sources.configPaths(), sources.moduleDir(),
                cmdline(problem), problem);
        ModprobeConfig config = traced.config();
        RuleSet rules = UdevRulesLoader.loadWithDefaults(sources.rulesDirs(), problem);
        Resolver resolver = new Resolver(db, config, state, e -> LOG.error("{}", e));
        Generation g = new Generation(id, rules, CachingResolver.wrap(resolver), SysfsView.at(sources.sysRoot()),
                sources.moduleDir(), clock.instant(), problems, unreadable, traced.lines());
        LOG.info("built {}", g.describe());
        return g;
    }

    private Optional<String> cmdline(ReadProblems problem) {
        if (sources.cmdline() == null) {
            return Optional.empty();
        }
        return ConfigFileReader.read(sources.cmdline(), sources.cmdline().toString(), ConfigFileReader.IfMissing.SKIP,
                problem).map(RawText::decode);
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : e.getMessage();
    }
}
