package org.autoprobe.bench;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.index.ModuleDatabase.Index;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.daemon.cache.CachingModuleDatabase;
import org.autoprobe.daemon.cache.CachingResolver;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One lookup per operation, the corpus's lines taken in turn, over the real tree's indexes
 * (modules.alias.bin: 26,222 patterns):
 * <ul>
 *   <li>{@code aliasWildcardUncached}: a wildcard search of modules.alias.bin (BinModuleDatabase);</li>
 *   <li>{@code resolveUncached}: the whole lookup chain of {@link Resolver#resolve} on the uncached database;</li>
 *   <li>{@code aliasWildcardCached}: the same search through {@link CachingModuleDatabase}, every answer cached;</li>
 *   <li>{@code resolveCached}: {@link CachingResolver#resolve}, every answer cached (what a repeated
 *       MODALIAS costs the daemon and {@code autoprobe resolve}).</li>
 * </ul>
 * The configuration is the system's modprobe.d (as {@code autoprobe resolve} without {@code -C}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AliasLookupBenchmark {
    private String[] corpus;
    private int next;
    private BinModuleDatabase database;
    private CachingModuleDatabase cachedDatabase;
    private Resolver resolver;
    private CachingResolver cachedResolver;

    @Setup
    public void setup() throws IOException, InterruptedException {
        corpus = IndexedTree.corpus().toArray(String[]::new);
        database = BinModuleDatabase.open(IndexedTree.moduleDir());
        ModprobeConfig config = ModprobeConfigLoader.load(List.of(), database.moduleDirectory(), Optional.empty(),
                w -> { });
        resolver = new Resolver(database, config, ModuleState.nothingLoaded());
        cachedDatabase = CachingModuleDatabase.wrap(database, Math.max(CachingModuleDatabase.DEFAULT_MAXIMUM_SIZE,
                corpus.length));
        cachedResolver = CachingResolver.wrap(new Resolver(database, config, ModuleState.nothingLoaded()),
                Math.max(CachingResolver.DEFAULT_MAXIMUM_SIZE, corpus.length));
        for (String s : corpus) {
            cachedDatabase.match(Index.ALIAS, s);
            cachedResolver.resolve(s, false);
        }
    }

    private String nextLookup() {
        String s = corpus[next];
        next = next + 1 == corpus.length ? 0 : next + 1;
        return s;
    }

    @Benchmark
    public List<String> aliasWildcardUncached() {
        return database.match(Index.ALIAS, nextLookup());
    }

    @Benchmark
    public List<String> resolveUncached() {
        return resolver.resolve(nextLookup(), false);
    }

    @Benchmark
    public List<String> aliasWildcardCached() {
        return cachedDatabase.match(Index.ALIAS, nextLookup());
    }

    @Benchmark
    public List<String> resolveCached() {
        return cachedResolver.resolve(nextLookup(), false);
    }
}
