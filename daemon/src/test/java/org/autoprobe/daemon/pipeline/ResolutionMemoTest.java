package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;

import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.junit.jupiter.api.Test;

class ResolutionMemoTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");

    @Test
    void answersAsTheGenerationsResolverAndForgetsThemWithTheGeneration() {
        SharedKernel kernel = new SharedKernel();
        Generation one = TestGenerations.of(1, new InMemoryDatabase(DIR).module("kernel/a.ko").module("kernel/b.ko")
                .alias("pci:v1*", "a").alias("pci:v*", "b"), kernel);
        Generation two = TestGenerations.of(2, new InMemoryDatabase(DIR).module("kernel/c.ko").alias("pci:v1*", "c"), kernel);
        ResolutionMemo memo = new ResolutionMemo(4);
        String target = "pci:v1234";
        List<String> first = memo.resolve(one, target);
        assertEquals(one.resolver().resolve(target, true), first);
        assertEquals(List.of("a", "b"), first);
        assertSame(first, memo.resolve(one, target));
        // more targets than the table has slots: every answer is still the resolver's
        for (int i = 0; i < 20; i++) {
            String t = "pci:v" + i;
            assertEquals(one.resolver().resolve(t, true), memo.resolve(one, t), t);
        }
        assertEquals(List.of("a", "b"), memo.resolve(one, target));
        assertEquals(List.of("c"), memo.resolve(two, target), "a new generation asks its own resolver");
        assertEquals(List.of(), memo.resolve(two, "pci:v9"));
    }
}
