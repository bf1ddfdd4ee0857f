package org.autoprobe.daemon.pipeline;

import java.util.List;

import org.autoprobe.daemon.generation.Generation;

/**
 * The rules stage's own front of the generation's caching resolver: a small direct-mapped table
 * from a lookup (by identity: the stage's targets are interned or constant Strings) to the
 * answer, so a repeated MODALIAS costs an array read instead of a concurrent cache's lookup and
 * bookkeeping. Answers belong to one generation: a new one empties the table. Misses go to the
 * resolver, whose answers for a generation never change. Single-threaded.
 */
final class ResolutionMemo {
    /** An answer: the modules to load, and those the blacklist took out (udev's loading applies it to all). */
    record Entry(String target, List<String> names, List<String> blacklisted) {
    }

    private final Entry[] table;
    private final int mask;
    private Generation generation;

    /** @param capacity a power of two */
    ResolutionMemo(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        table = new Entry[capacity];
        mask = capacity - 1;
    }

    /** What {@code g}'s resolver answers for {@code target}, blacklist applied. */
    List<String> resolve(Generation g, String target) {
        return answer(g, target).names();
    }

    /** {@code g}'s answer for {@code target}: the modules, blacklist applied, and the ones it removed. */
    Entry answer(Generation g, String target) {
        if (g != generation) {
            java.util.Arrays.fill(table, null);
            generation = g;
        }
        int h = target.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        Entry e = table[i];
        if (e != null && e.target == target) {
            return e;
        }
        // one lookup: the blacklist split off its answer (what resolve(target, true) leaves out)
        List<String> all = g.resolver().resolve(target, false);
        List<String> names = all;
        List<String> blacklisted = List.of();
        org.autoprobe.core.resolve.Resolver r = g.resolver().resolver();
        if (all.stream().anyMatch(r::blacklisted)) {
            names = all.stream().filter(m -> !r.blacklisted(m)).toList();
            blacklisted = all.stream().filter(r::blacklisted).toList();
        }
        e = new Entry(target, names, blacklisted);
        table[i] = e;
        return e;
    }
}
