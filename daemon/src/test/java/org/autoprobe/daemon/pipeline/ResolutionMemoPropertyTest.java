package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.autoprobe.core.testing.InMemoryDatabase;

import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.testing.TestGenerations;

/**
 * {@link ResolutionMemo} (single-threaded, the rules stage's) against a plain map: for any sequence
 * of lookups, over generations that answer differently and targets that collide in a small table
 * or are equal but not the same String, the memo answers what the generation's resolver answers.
 */
class ResolutionMemoPropertyTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");
    private static final String[] TARGETS = {"pci:v1", "pci:v2", "usb:v1", "usb:v2", "acpi:X", "cpu:fam6", "none", ""};
    private static final List<Generation> GENERATIONS = List.of(
            TestGenerations.of(1, new InMemoryDatabase(DIR).module("kernel/a.ko").module("kernel/b.ko")
                    .alias("pci:v1*", "a").alias("pci:v*", "b").alias("usb:*", "a"), ModuleState.nothingLoaded()),
            TestGenerations.of(2, new InMemoryDatabase(DIR).module("kernel/c.ko").alias("pci:v2*", "c")
                    .alias("acpi:*", "c").alias("cpu:*", "c"), ModuleState.nothingLoaded()),
            TestGenerations.of(3, new InMemoryDatabase(DIR), ModuleState.nothingLoaded()));

    /** One lookup: which generation, which target, and whether the target is a fresh String (equal, not the same). */
    record Lookup(int generation, int target, boolean fresh) {
    }

    @Provide
    Arbitrary<Lookup> lookups() {
        return Combinators.combine(Arbitraries.integers().between(0, GENERATIONS.size() - 1),
                Arbitraries.integers().between(0, TARGETS.length - 1), Arbitraries.of(true, false)).as(Lookup::new);
    }

    @Property(tries = 300)
    void answersAsTheResolverWhateverTheOrder(@ForAll @Size(max = 60) List<@From("lookups") Lookup> sequence,
                                              @ForAll @IntRange(min = 0, max = 4) int log2Capacity) {
        ResolutionMemo memo = new ResolutionMemo(1 << log2Capacity);
        Map<Long, Map<String, List<String>>> model = new HashMap<>();
        for (Lookup l : sequence) {
            Generation g = GENERATIONS.get(l.generation());
            String target = l.fresh() ? new String(TARGETS[l.target()]) : TARGETS[l.target()];
            List<String> want = model.computeIfAbsent(g.id(), k -> new HashMap<>())
                    .computeIfAbsent(target, t -> g.resolver().resolver().resolve(t, true));
            assertEquals(want, memo.resolve(g, target), l.toString());
        }
    }
}
