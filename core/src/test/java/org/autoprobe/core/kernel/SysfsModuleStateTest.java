package org.autoprobe.core.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.autoprobe.core.testing.SysTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsModuleStateTest {
    @TempDir
    Path sys;

    private void module(String name, String initstate) throws IOException {
        SysTree.ofSys(sys).module(name, initstate);
    }

    @Test
    void onlyLiveCountsAsLoaded() throws IOException {
        module("e1000e", "live");
        module("snd", "coming");
        module("gone", "going");
        module("printk", null); // builtin: a directory without initstate
        SysfsModuleState s = new SysfsModuleState(sys);
        assertTrue(s.isLive("e1000e"));
        assertFalse(s.isLive("snd"));
        assertFalse(s.isLive("gone"));
        assertFalse(s.isLive("printk"));
        assertFalse(s.isLive("absent"));
    }
}
