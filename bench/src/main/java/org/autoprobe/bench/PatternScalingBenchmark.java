package org.autoprobe.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.autoprobe.core.index.trie.TrieReader;
import org.autoprobe.core.index.trie.TrieWriter;
import org.autoprobe.core.match.Glob;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the cost of one wildcard lookup grows with the number of patterns: {@code patterns} patterns
 * drawn (fixed seed) from the real modules.alias, written into a trie with {@link TrieWriter} and
 * searched as libkmod does ({@code trie}), against trying every pattern with {@link Glob} in turn
 * ({@code scan}, the pattern bytes encoded once). Lookups: the corpus lines that hold a ':' and no
 * wildcard (device aliases and near misses, instantiated from all 26,222 patterns, so with fewer patterns
 * fewer of them match). Both give the same values (checked at setup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PatternScalingBenchmark {
    @Param({"1000", "4000", "16000", "26222"})
    public int patterns;

    private String[] lookups;
    private byte[][] lookupBytes;
    private int next;
    private TrieReader trie;
    private byte[][] globs;
    private String[] values;

    @Setup
    public void setup() throws IOException, InterruptedException {
        TrieReader all = TrieReader.open(IndexedTree.moduleDir().resolve("modules.alias.bin"));
        List<String[]> pairs = new ArrayList<>();
        all.forEach((key, value) -> pairs.add(new String[] {key, value}));
        if (patterns > pairs.size()) {
            throw new IllegalStateException("modules.alias.bin has only " + pairs.size() + " patterns");
        }
        Collections.shuffle(pairs, new Random(42));
        List<String[]> chosen = pairs.subList(0, patterns);
        TrieWriter writer = new TrieWriter();
        globs = new byte[patterns][];
        values = new String[patterns];
        for (int i = 0; i < patterns; i++) {
            writer.add(chosen.get(i)[0], chosen.get(i)[1], i);
            globs[i] = chosen.get(i)[0].getBytes(StandardCharsets.UTF_8);
            values[i] = chosen.get(i)[1];
        }
        trie = TrieReader.wrap(ByteBuffer.wrap(writer.toBytes()), "bench trie of " + patterns);
        List<String> keys = new ArrayList<>();
        for (String s : IndexedTree.corpus()) {
            // device aliases; not the corpus lines that are patterns themselves (libkmod's walk
            // reaches a pattern like that twice, once literally, once as a wildcard)
            if (s.indexOf(':') >= 0 && s.indexOf('[') < 0 && s.indexOf(']') < 0 && s.indexOf('*') < 0
                    && s.indexOf('?') < 0) {
                keys.add(s);
            }
        }
        lookups = keys.toArray(String[]::new);
        lookupBytes = new byte[lookups.length][];
        for (int i = 0; i < lookups.length; i++) {
            lookupBytes[i] = lookups[i].getBytes(StandardCharsets.UTF_8);
        }
        for (int i = 0; i < lookups.length; i++) {
            List<String> a = new ArrayList<>();
            for (TrieReader.Value v : trie.searchWild(lookups[i])) {
                a.add(v.value());
            }
            List<String> b = scanValues(i);
            Collections.sort(a);
            Collections.sort(b);
            if (!a.equals(b)) {
                throw new IllegalStateException("trie and scan differ for " + lookups[i] + ": " + a + " vs " + b);
            }
        }
    }

    private List<String> scanValues(int i) {
        byte[] key = lookupBytes[i];
        List<String> out = new ArrayList<>(4);
        for (int g = 0; g < globs.length; g++) {
            if (Glob.matches(globs[g], globs[g].length, key, 0, key.length)) {
                out.add(values[g]);
            }
        }
        return out;
    }

    private int nextIndex() {
        int i = next;
        next = next + 1 == lookups.length ? 0 : next + 1;
        return i;
    }

    @Benchmark
    public List<TrieReader.Value> trie() {
        return trie.searchWild(lookups[nextIndex()]);
    }

    @Benchmark
    public List<String> scan() {
        return scanValues(nextIndex());
    }
}
