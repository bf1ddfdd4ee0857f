package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.autoprobe.core.testing.SysTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsModulesTest {
    @TempDir
    Path root;

    @Test
    void readsStateCountSizeHoldersAndParameters() throws IOException {
        SysTree t = new SysTree(root).loaded("mii", "live", 20480, 1, "8139too")
                .loaded("snd", "coming", 100, 0)
                .file("sys/module/mii/parameters/debug", "0\n")
                .builtin("printk", "time", "Y");
        SysfsModules s = new SysfsModules(t.systemRoot().sys());
        assertEquals(Optional.of(InitState.LIVE), s.initState("mii"));
        assertEquals(Optional.of(InitState.COMING), s.initState("snd"));
        assertEquals(Optional.of(InitState.BUILTIN), s.initState("printk"));
        assertEquals(Optional.empty(), s.initState("nosuch"));
        assertEquals(OptionalInt.of(1), s.refcount("mii"));
        assertEquals(OptionalInt.empty(), s.refcount("printk"));
        assertEquals(OptionalLong.of(20480), s.coreSize("mii"));
        assertEquals(List.of("8139too"), s.holders("mii"));
        assertEquals(List.of(), s.holders("printk"));
        assertEquals(Map.of("debug", "0"), s.parameters("mii"));
        assertEquals(Map.of("time", "Y"), s.parameters("printk"));
        assertEquals(Optional.empty(), s.kernelCompression());
        new SysTree(root).file("sys/module/compression", "zstd\n");
        assertEquals(Optional.of("zstd"), s.kernelCompression());
    }

    @Test
    void aGarbledCountIsNoCount() throws IOException {
        new SysTree(root).loaded("m", "live", 1, 0).file("sys/module/m/refcnt", "lots\n");
        assertEquals(OptionalInt.empty(), new SysfsModules(root.resolve("sys")).refcount("m"));
    }
}
