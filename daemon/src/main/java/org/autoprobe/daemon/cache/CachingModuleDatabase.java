package org.autoprobe.daemon.cache;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.autoprobe.core.index.ModuleDatabase;

/**
 * Remembers the answers of another {@link ModuleDatabase}: a repeated {@link #match} or
 * {@link #lookup} (a device's MODALIAS seen again, a coldplug of many identical devices) costs a
 * cache hit instead of a trie walk. Each index has its own bounded caches (least-recently and
 * least-frequently used entries go first).
 *
 * <p>The cache is tied to the one database it wraps, which must not change underneath it. When the
 * modules directory is re-indexed, open a new database and wrap it in a new
 * {@code CachingModuleDatabase}; swap the reference to the pair; the old caches go with the old
 * database. Thread-safe when the wrapped database is.
 */
public final class CachingModuleDatabase implements ModuleDatabase {
    /** Entries kept per index and per kind of question, unless told otherwise. */
    public static final long DEFAULT_MAXIMUM_SIZE = 8192;

    private final ModuleDatabase delegate;
    private final Map<Index, Cache<String, List<String>>> matches = new EnumMap<>(Index.class);
    private final Map<Index, Cache<String, Optional<String>>> lookups = new EnumMap<>(Index.class);

    private CachingModuleDatabase(ModuleDatabase delegate, long maximumSize) {
        this.delegate = delegate;
        for (Index index : Index.values()) {
            matches.put(index, Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build());
            lookups.put(index, Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build());
        }
    }

    /** Caches the answers of {@code delegate}, keeping {@link #DEFAULT_MAXIMUM_SIZE} per index. */
    public static CachingModuleDatabase wrap(ModuleDatabase delegate) {
        return wrap(delegate, DEFAULT_MAXIMUM_SIZE);
    }

    /** Caches the answers of {@code delegate}, keeping at most {@code maximumSize} answers per index and kind. */
    public static CachingModuleDatabase wrap(ModuleDatabase delegate, long maximumSize) {
        if (delegate instanceof CachingModuleDatabase) {
            throw new IllegalArgumentException("already caching");
        }
        if (maximumSize < 0) {
            throw new IllegalArgumentException("negative maximum size " + maximumSize);
        }
        return new CachingModuleDatabase(delegate, maximumSize);
    }

    /** The database whose answers are cached. */
    ModuleDatabase delegate() {
        return delegate;
    }

    @Override
    public Path moduleDirectory() {
        return delegate.moduleDirectory();
    }

    @Override
    public Optional<String> lookup(Index index, String key) {
        return lookups.get(index).get(key, k -> delegate.lookup(index, k));
    }

    /** As the delegate's, as an unmodifiable list shared between callers. */
    @Override
    public List<String> match(Index index, String key) {
        return matches.get(index).get(key, k -> List.copyOf(delegate.match(index, k)));
    }

    @Override
    public boolean has(Index index) {
        return delegate.has(index);
    }
}
