package org.autoprobe.daemon.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.rules.modprobe.ModprobeConfigParser;
import org.junit.jupiter.api.Test;

class CachingResolverTest {
    /** Counts the questions that reach the database. */
    private static final class Counting implements ModuleDatabase {
        private final ModuleDatabase db;
        int questions;

        Counting(ModuleDatabase db) {
            this.db = db;
        }

        @Override
        public Path moduleDirectory() {
            return db.moduleDirectory();
        }

        @Override
        public Optional<String> lookup(Index index, String key) {
            questions++;
            return db.lookup(index, key);
        }

        @Override
        public List<String> match(Index index, String key) {
            questions++;
            return db.match(index, key);
        }

        @Override
        public boolean has(Index index) {
            return db.has(index);
        }
    }

    private static final String RTL = "pci:v000010ECd00008139sv000010ECsd00008139bc02sc00i00";

    private static final ModprobeConfig CONF = ModprobeConfigParser.parse("test.conf",
            List.of("alias my-nic 8139cp", "blacklist 8139too"), w -> {
                throw new AssertionError(w);
            });

    /** Every source of the lookup chain: modules.dep, aliases, a symbol, builtins. */
    private static InMemoryDatabase db() {
        return new InMemoryDatabase()
                .module("kernel/drivers/net/mii.ko")
                .module("kernel/drivers/net/8139cp.ko", "kernel/drivers/net/mii.ko")
                .module("kernel/drivers/net/8139too.ko", "kernel/drivers/net/mii.ko")
                .module("kernel/fs/ext4/ext4.ko")
                .alias("pci:v000010ECd00008139sv*sd*bc*sc*i*", "8139too")
                .alias("pci:v000010ECd00008139sv*sd*bc02sc00i*", "8139cp")
                .alias("pci:v*d*sv*sd*bc02sc00i*", "8139too")
                .alias("fs-ext4", "ext4")
                .alias("mii", "ext4")
                .symbol("mii_link_ok", "mii")
                .builtin("crc32c_generic")
                .builtinAlias("crypto-crc32c", "crc32c_generic");
    }

    @Test
    void answersAsTheResolverDoesForEverySourceAndBlacklistSetting() {
        Resolver plain = new Resolver(db(), CONF, ModuleState.nothingLoaded());
        CachingResolver cached = CachingResolver.wrap(new Resolver(db(), CONF, ModuleState.nothingLoaded()));
        List<String> lookups = List.of(RTL, "my-nic", "ext4", "symbol:mii_link_ok", "crypto-crc32c",
                "crc32c_generic", "fs-ext4", "nothing-here", "a[b", "mii");
        for (int round = 0; round < 2; round++) {
            for (String s : lookups) {
                for (boolean bl : new boolean[] {false, true}) {
                    assertEquals(plain.resolve(s, bl), cached.resolve(s, bl), s + " blacklist=" + bl);
                    assertEquals(plain.resolveLine(s, bl), cached.resolveLine(s, bl), s + " blacklist=" + bl);
                }
            }
        }
        assertEquals(List.of("8139cp"), cached.resolve(RTL, true));
        assertEquals(List.of("8139cp", "8139too"), cached.resolve(RTL, false));
        assertEquals("-", cached.column("nothing-here", false));
        assertEquals("8139cp 8139too", cached.column(RTL, false));
    }

    @Test
    void aRepeatedQuestionDoesNotReachTheDatabase() {
        Counting db = new Counting(db());
        CachingResolver cached = CachingResolver.wrap(new Resolver(db, CONF, ModuleState.nothingLoaded()));
        List<String> first = cached.resolve(RTL, false);
        int asked = db.questions;
        assertEquals(true, asked > 0);
        assertSame(first, cached.resolve(RTL, false));
        assertEquals(asked, db.questions);
        cached.resolve(RTL, true); // the other blacklist setting is its own answer
        assertEquals(true, db.questions > asked);
        assertThrows(UnsupportedOperationException.class, () -> first.add("x"));
    }

    @Test
    void aBoundOfZeroKeepsNothingButStillAnswers() {
        Counting db = new Counting(db());
        CachingResolver cached = CachingResolver.wrap(new Resolver(db, CONF, ModuleState.nothingLoaded()), 0);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.addAll(cached.resolve("fs-ext4", false));
        }
        assertEquals(List.of("ext4", "ext4", "ext4"), answers);
        assertThrows(IllegalArgumentException.class, () -> CachingResolver.wrap(cached.resolver(), -1));
    }
}
