package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.core.resolve.TreeComparison.Change;

/** {@link Change#of}: what each word means, over short lists of a few names (so that they often coincide). */
class TreeComparisonProperties {
    @Provide
    Arbitrary<List<String>> modules() {
        return Arbitraries.of("8139cp", "8139too", "e1000", "ahci").list().ofMaxSize(3);
    }

    @Property(tries = 1000)
    void eachWordMeansWhatItSays(@ForAll("modules") List<String> from, @ForAll("modules") List<String> to) {
        Change expected;
        if (from.equals(to)) {
            expected = Change.SAME;
        } else if (!from.isEmpty() && to.isEmpty()) {
            expected = Change.LOST;
        } else if (from.isEmpty()) {
            expected = Change.GAINED;
        } else {
            expected = Change.CHANGED;
        }
        assertEquals(expected, Change.of(from, to), from + " -> " + to);
    }

    @Property(tries = 1000)
    void goingBackUndoesIt(@ForAll("modules") List<String> from, @ForAll("modules") List<String> to) {
        Change there = Change.of(from, to);
        Change back = Change.of(to, from);
        switch (there) {
            case LOST -> assertEquals(Change.GAINED, back);
            case GAINED -> assertEquals(Change.LOST, back);
            default -> assertEquals(there, back);
        }
    }
}
