package org.autoprobe.daemon.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.index.ModuleDatabase;
import org.junit.jupiter.api.Test;

class CachingModuleDatabaseTest {
    /** Answers from a fixed rule and counts the questions. */
    private static final class Counting implements ModuleDatabase {
        final List<String> asked = new ArrayList<>();

        @Override
        public Path moduleDirectory() {
            return Path.of("/lib/modules/test");
        }

        @Override
        public Optional<String> lookup(Index index, String key) {
            asked.add("lookup " + index + " " + key);
            return key.startsWith("x") ? Optional.empty() : Optional.of(index + ":" + key);
        }

        @Override
        public List<String> match(Index index, String key) {
            asked.add("match " + index + " " + key);
            List<String> mutable = new ArrayList<>();
            mutable.add(index + ":" + key);
            return mutable;
        }

        @Override
        public boolean has(Index index) {
            return index != Index.BUILTIN_ALIAS;
        }
    }

    @Test
    void repeatedQuestionsAreAnsweredOnce() {
        Counting delegate = new Counting();
        CachingModuleDatabase db = CachingModuleDatabase.wrap(delegate);
        List<String> first = db.match(ModuleDatabase.Index.ALIAS, "pci:v1");
        List<String> second = db.match(ModuleDatabase.Index.ALIAS, "pci:v1");
        assertEquals(List.of("ALIAS:pci:v1"), first);
        assertSame(first, second);
        assertEquals(List.of("SYMBOL:pci:v1"), db.match(ModuleDatabase.Index.SYMBOL, "pci:v1"));
        assertEquals(Optional.of("DEP:e1000e"), db.lookup(ModuleDatabase.Index.DEP, "e1000e"));
        assertEquals(Optional.of("DEP:e1000e"), db.lookup(ModuleDatabase.Index.DEP, "e1000e"));
        assertEquals(Optional.empty(), db.lookup(ModuleDatabase.Index.DEP, "xnone"));
        assertEquals(Optional.empty(), db.lookup(ModuleDatabase.Index.DEP, "xnone"));
        assertEquals(List.of("match ALIAS pci:v1", "match SYMBOL pci:v1", "lookup DEP e1000e", "lookup DEP xnone"),
                delegate.asked);
    }

    @Test
    void answersCannotBeChangedByACaller() {
        CachingModuleDatabase db = CachingModuleDatabase.wrap(new Counting());
        List<String> answer = db.match(ModuleDatabase.Index.ALIAS, "k");
        assertThrows(UnsupportedOperationException.class, () -> answer.add("evil"));
        assertEquals(List.of("ALIAS:k"), db.match(ModuleDatabase.Index.ALIAS, "k"));
    }

    @Test
    void passesTheRestThrough() {
        Counting delegate = new Counting();
        CachingModuleDatabase db = CachingModuleDatabase.wrap(delegate, 10);
        assertEquals(Path.of("/lib/modules/test"), db.moduleDirectory());
        assertTrue(db.has(ModuleDatabase.Index.DEP));
        assertEquals(false, db.has(ModuleDatabase.Index.BUILTIN_ALIAS));
        assertSame(delegate, db.delegate());
        assertThrows(IllegalArgumentException.class, () -> CachingModuleDatabase.wrap(db));
        assertThrows(IllegalArgumentException.class, () -> CachingModuleDatabase.wrap(delegate, -1));
    }
}
