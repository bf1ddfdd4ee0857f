package org.autoprobe.daemon.cache;

import java.util.List;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.autoprobe.core.resolve.Resolver;

/**
 * Remembers what a {@link Resolver} answered for an alias: a repeated {@link #resolve} (the same
 * MODALIAS from many identical devices, or from many machines of a fleet) costs one cache hit
 * instead of the whole lookup chain (config aliases, modules.dep, symbols, install/remove
 * commands, modules.alias, builtin indexes). Bounded: least-recently and least-frequently used
 * answers go first.
 *
 * <p>Lifecycle: an instance is tied to the one resolver it wraps, hence to that resolver's
 * database and configuration, neither of which may change underneath it. When either changes
 * (re-indexed modules directory, edited modprobe.d), build a new {@code Resolver} and a new
 * {@code CachingResolver} over it and swap the reference; the old answers go with the old pair.
 *
 * <p>A lookup's error messages (e.g. a dependency path clash) reach the resolver's error consumer
 * when the answer is computed, not again on a cache hit. Thread-safe.
 */
public final class CachingResolver {
    /** Answers kept per blacklist setting, unless told otherwise. */
    public static final long DEFAULT_MAXIMUM_SIZE = 16_384;

    /** One answer: the module names and the text {@code autoprobe resolve} prints for them. */
    private record Answer(List<String> names, String column) {
    }

    private final Resolver resolver;
    private final Cache<String, Answer> all;
    private final Cache<String, Answer> withoutBlacklisted;

    private CachingResolver(Resolver resolver, long maximumSize) {
        this.resolver = resolver;
        this.all = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
        this.withoutBlacklisted = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    /** Caches the answers of {@code resolver}, keeping {@link #DEFAULT_MAXIMUM_SIZE} per blacklist setting. */
    public static CachingResolver wrap(Resolver resolver) {
        return wrap(resolver, DEFAULT_MAXIMUM_SIZE);
    }

    /** Caches the answers of {@code resolver}, keeping at most {@code maximumSize} per blacklist setting. */
    public static CachingResolver wrap(Resolver resolver, long maximumSize) {
        Objects.requireNonNull(resolver, "resolver");
        if (maximumSize < 0) {
            throw new IllegalArgumentException("negative maximum size " + maximumSize);
        }
        return new CachingResolver(resolver, maximumSize);
    }

    /** The resolver whose answers are cached (for the uncached questions: plans, module facts). */
    public Resolver resolver() {
        return resolver;
    }

    /** As {@link Resolver#resolve}: an unmodifiable list shared between callers. */
    public List<String> resolve(String alias, boolean applyBlacklist) {
        return answer(alias, applyBlacklist).names();
    }

    /** What {@code autoprobe resolve} prints after the alias and a tab: the names space separated, or {@code -}. */
    String column(String alias, boolean applyBlacklist) {
        return answer(alias, applyBlacklist).column();
    }

    /** As {@link Resolver#resolveLine}. */
    public String resolveLine(String alias, boolean applyBlacklist) {
        return alias + "\t" + column(alias, applyBlacklist);
    }

    private Answer answer(String alias, boolean applyBlacklist) {
        Cache<String, Answer> cache = applyBlacklist ? withoutBlacklisted : all;
        Answer a = cache.getIfPresent(alias);
        if (a == null) {
            a = cache.get(alias, k -> {
                List<String> names = resolver.resolve(k, applyBlacklist);
                return new Answer(names, Resolver.column(names));
            });
        }
        return a;
    }
}
