package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which devices lose, gain or change their module between two module trees ({@code autoprobe compat}):
 * each MODALIAS is resolved on both sides as udev's autoloading resolves it (kmod's lookup, each
 * module once in kmod's order, blacklisted modules left out: {@link Resolver#resolve(String, boolean)}
 * with {@code true}), and the two lists are compared.
 *
 * <p>Give it the MODALIAS values with {@link #add} (each with the source that holds it: a dump
 * file, or none for this machine's devices; a value added twice is resolved once), then
 * {@link #compare}. Not thread-safe while adding; the result is immutable.
 */
public final class TreeComparison {
    /** What happened to a device's modules, in the order the results are sorted (losses first). */
    public enum Change {
        /** The first tree has modules for it, the second none: the device would be left without a driver. */
        LOST,
        /**
         * Both trees have modules for it, but not the same list (other modules, or another order);
         * or the second has none because the first's modules are built into its kernel
         * ({@link Entry#builtIn()}): the driver moved into the kernel image.
         */
        CHANGED,
        /** Only the second tree has modules for it. */
        GAINED,
        /** The same list on both sides (both empty included). */
        SAME;

        /** The word printed for it: {@code lost}, {@code changed}, {@code gained}, {@code same}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** How the lists {@code from} and {@code to} (in kmod's order) compare. */
        static Change of(List<String> from, List<String> to) {
            if (from.equals(to)) {
                return SAME;
            }
            if (to.isEmpty()) {
                return LOST;
            }
            return from.isEmpty() ? GAINED : CHANGED;
        }
    }

    /**
     * One distinct MODALIAS and its modules on both sides.
     *
     * @param sources the sources that hold it, in the order they were added (empty for this machine's devices)
     * @param builtIn {@code from}'s modules that the second tree's kernel has built in, when its lookup
     *                yields nothing (kmod's lookup cannot see a built-in driver whose
     *                {@code modules.builtin.modinfo} has no alias): such an entry is {@link Change#CHANGED},
     *                not lost; empty otherwise
     */
    public record Entry(String modalias, List<String> from, List<String> to, Change change, List<String> sources,
                        List<String> builtIn) {
        public Entry {
            Objects.requireNonNull(modalias, "modalias");
            from = List.copyOf(from);
            to = List.copyOf(to);
            Objects.requireNonNull(change, "change");
            sources = List.copyOf(sources);
            builtIn = List.copyOf(builtIn);
        }

        public Entry(String modalias, List<String> from, List<String> to, Change change, List<String> sources) {
            this(modalias, from, to, change, sources, List.of());
        }
    }

    /** Every MODALIAS compared: losses first, then changes, gains, the same; by MODALIAS within each. */
    public record Result(List<Entry> entries) {
        /** The order of {@link #entries}. */
        static final Comparator<Entry> ORDER = Comparator.comparing(Entry::change)
                .thenComparing(Entry::modalias);

        public Result {
            entries = List.copyOf(entries);
        }

        /** How many entries have each change (every change present, 0 included). */
        public Map<Change, Integer> counts() {
            Map<Change, Integer> counts = new EnumMap<>(Change.class);
            for (Change c : Change.values()) {
                counts.put(c, 0);
            }
            for (Entry e : entries) {
                counts.merge(e.change(), 1, Integer::sum);
            }
            return counts;
        }

        /** Whether some entry has {@code change}. */
        public boolean any(Change change) {
            return entries.stream().anyMatch(e -> e.change() == change);
        }
    }

    private final Resolver from;
    private final Resolver to;
    private final Map<String, Set<String>> modaliases = new LinkedHashMap<>();

    /**
     * @param from the tree rolled out today
     * @param to   the tree to roll out, over the same configuration
     */
    public TreeComparison(Resolver from, Resolver to) {
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    /** A MODALIAS found in {@code source} (null: no named source, e.g. this machine's sysfs). */
    public TreeComparison add(String modalias, String source) {
        Set<String> sources = modaliases.computeIfAbsent(Objects.requireNonNull(modalias, "modalias"),
                k -> new LinkedHashSet<>());
        if (source != null) {
            sources.add(source);
        }
        return this;
    }

    /** Every MODALIAS of {@code values}, from {@code source}. */
    TreeComparison addAll(Collection<String> values, String source) {
        for (String v : values) {
            add(v, source);
        }
        return this;
    }

    /** How many distinct MODALIAS values were added. */
    int size() {
        return modaliases.size();
    }

    /** Resolves every MODALIAS added on both trees and compares. */
    public Result compare() {
        return compare((done, total) -> { });
    }

    /** As {@link #compare()}, telling {@code progress} (done, total) after each MODALIAS. */
    public Result compare(java.util.function.BiConsumer<Integer, Integer> progress) {
        List<Entry> entries = new ArrayList<>(modaliases.size());
        int total = modaliases.size();
        for (Map.Entry<String, Set<String>> m : modaliases.entrySet()) {
            progress.accept(entries.size(), total);
            List<String> a = from.resolve(m.getKey(), true);
            List<String> b = to.resolve(m.getKey(), true);
            Change change = Change.of(a, b);
            List<String> builtIn = List.of();
            if (change == Change.LOST && a.stream().allMatch(name -> to.module(name).builtin())) {
                builtIn = a;
                change = Change.CHANGED;
            }
            entries.add(new Entry(m.getKey(), a, b, change, new ArrayList<>(m.getValue()), builtIn));
        }
        entries.sort(Result.ORDER);
        return new Result(entries);
    }
}
