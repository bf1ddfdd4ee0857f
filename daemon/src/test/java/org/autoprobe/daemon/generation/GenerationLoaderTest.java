package org.autoprobe.daemon.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.autoprobe.core.index.trie.TrieWriter;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.daemon.service.IndexWatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationLoaderTest {
    @TempDir
    Path tmp;
    Path mods;
    Path conf;
    Path rules;

    private static void trie(Path file, String... kv) throws IOException {
        TrieWriter w = new TrieWriter();
        for (int i = 0; i < kv.length; i += 2) {
            w.add(kv[i], kv[i + 1], i / 2);
        }
        Files.write(file, w.toBytes());
    }

    @BeforeEach
    void tree() throws IOException {
        mods = Files.createDirectories(tmp.resolve("lib/modules/1.0"));
        conf = Files.createDirectories(tmp.resolve("modprobe.d"));
        rules = Files.createDirectories(tmp.resolve("rules.d"));
        trie(mods.resolve("modules.dep.bin"), "e1000", "kernel/e1000.ko:", "e1000e", "kernel/e1000e.ko:");
        trie(mods.resolve("modules.alias.bin"), "pci:v00008086d*", "e1000", "pci:v00008086d*", "e1000e");
        trie(mods.resolve("modules.symbols.bin"));
        trie(mods.resolve("modules.builtin.bin"));
    }

    private GenerationLoader loader() {
        return new GenerationLoader(new GenerationSources(mods, List.of(conf), List.of(rules), tmp.resolve("sys"), null),
                ModuleState.nothingLoaded());
    }

    @Test
    void aGenerationHoldsTheIndexTheConfigurationAndTheRules() throws IOException {
        Files.writeString(conf.resolve("bl.conf"), "blacklist e1000e\nbogus line here\n");
        Files.writeString(rules.resolve("90-extra.rules"), "SUBSYSTEM==\"tty\", RUN{builtin}+=\"kmod load e1000\"\n");
        Generation g = loader().load(7);
        assertEquals(7, g.id());
        assertEquals(mods, g.moduleDir());
        assertEquals(List.of("e1000"), g.resolver().resolve("pci:v00008086d00001234", true));
        assertEquals(List.of("e1000", "e1000e"), g.resolver().resolve("pci:v00008086d00001234", false));
        assertEquals(1, g.problems().size(), g.problems().toString());
        assertTrue(g.problems().get(0).contains("bl.conf"), g.problems().get(0));
        assertTrue(g.rules().origins().stream().anyMatch(o -> o.contains("90-extra.rules")), g.rules().origins().toString());
    }

    @Test
    void aMissingIndexIsAProblemNotAFailure() throws IOException {
        Files.delete(mods.resolve("modules.alias.bin"));
        Generation g = loader().load(1);
        assertEquals(List.of(mods.resolve("modules.alias.bin") + ": cannot read: no such file (run depmod)"), g.problems());
        assertEquals(g.problems(), g.unreadable(), "an index that cannot be read makes the generation incomplete");
        assertFalse(g.complete());
        assertEquals(List.of(), g.resolver().resolve("pci:v00008086d00001234", true));
    }

    @Test
    void badLinesAndSkippedFilesLeaveTheGenerationComplete() throws Exception {
        Files.writeString(conf.resolve("bl.conf"), "blacklist e1000e\nbogus line here\n");
        assertEquals(0, new ProcessBuilder("mkfifo", conf.resolve("fifo.conf").toString()).start().waitFor());
        Files.writeString(rules.resolve("90-bad.rules"), "NOT A RULE\n");
        Generation g = loader().load(1);
        assertEquals(3, g.problems().size(), g.problems().toString());
        assertTrue(g.complete(), g.unreadable().toString());
        assertEquals(List.of("e1000"), g.resolver().resolve("pci:v00008086d00001234", true));
    }

    @Test
    void aSourceThatCannotBeReadMakesTheGenerationIncomplete() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path cmdline = file.resolve("cmdline"); // stat fails with ENOTDIR: an error of reading
        Generation g = new GenerationLoader(new GenerationSources(mods, List.of(conf), List.of(rules),
                tmp.resolve("sys"), cmdline), ModuleState.nothingLoaded()).load(1);
        assertFalse(g.complete());
        assertEquals(1, g.unreadable().size(), g.unreadable().toString());
        assertTrue(g.unreadable().get(0).startsWith(cmdline + ": cannot read: "), g.unreadable().get(0));
        assertEquals(g.unreadable().get(0), g.whyIncomplete());
    }

    @Test
    void theWatchedDirectoriesAreTheModulesConfigurationAndRulesDirectories() {
        assertEquals(List.of(mods, conf, rules), loader().sources().watchedDirectories());
    }

    @Test
    void aRewrittenIndexWakesTheWatcherOnceThingsAreQuiet() throws Exception {
        CountDownLatch changed = new CountDownLatch(1);
        try (IndexWatcher w = IndexWatcher.start(loader().sources().watchedDirectories(), Duration.ofMillis(100),
                changed::countDown)) {
            assertEquals(List.of(mods, conf, rules), w.watched());
            Thread.sleep(50);
            trie(mods.resolve("modules.alias.bin.tmp"), "pci:v00008086d*", "e1000e");
            Files.move(mods.resolve("modules.alias.bin.tmp"), mods.resolve("modules.alias.bin"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertTrue(changed.await(10, TimeUnit.SECONDS), "the watcher saw depmod's rename");
        }
        assertEquals(List.of("e1000e"), loader().load(2).resolver().resolve("pci:v00008086d00001234", false));
    }
}
