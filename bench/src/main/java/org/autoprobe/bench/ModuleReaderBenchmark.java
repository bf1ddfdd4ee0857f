package org.autoprobe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.autoprobe.core.elf.ModuleReader;
import org.autoprobe.core.module.ModuleInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Reading every module of the real Debian tree (the page cache warm): what depmod's scan costs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ModuleReaderBenchmark {
    private List<Path> files;

    @Setup
    public void setup() throws IOException, InterruptedException {
        Path dir = KernelTree.locate().moduleDir();
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".ko")).sorted().toList();
        }
    }

    @Benchmark
    public void readWholeTree(Blackhole bh) throws IOException {
        for (Path p : files) {
            ModuleInfo m = ModuleReader.read(p);
            bh.consume(m);
        }
    }
}
