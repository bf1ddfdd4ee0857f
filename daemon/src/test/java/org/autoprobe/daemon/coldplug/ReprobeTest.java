package org.autoprobe.daemon.coldplug;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.testing.SysTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReprobeTest {
    @TempDir
    Path sys;

    private Path device(String devpath, String subsystem, String uevent) throws IOException {
        return SysTree.ofSys(sys).device(devpath, subsystem, uevent);
    }

    private void module(String name, String initstate) throws IOException {
        SysTree.ofSys(sys).module(name, initstate);
    }

    @Test
    void onlyUnboundDevicesWhoseModuleIsLiveAreProbedAgain() throws IOException {
        device("/devices/pci0000:00/0000:00:13.0", "pci", "MODALIAS=pci:megasas\n");
        Path bound = device("/devices/pci0000:00/0000:00:04.0", "pci", "DRIVER=e1000\nMODALIAS=pci:e1000\n");
        Files.createSymbolicLink(bound.resolve("driver"), bound.relativize(sys.resolve("bus/pci/drivers/e1000")));
        device("/devices/pci0000:00/0000:00:05.0", "pci", "MODALIAS=pci:rtl\n");
        device("/devices/pci0000:00/0000:00:06.0", "pci", "MODALIAS=pci:loading\n");
        device("/devices/platform/foo", "platform", "MODALIAS=platform:foo\n"); // no drivers_probe on that bus
        Files.writeString(sys.resolve("bus/pci/drivers_probe"), "");
        module("megaraid_sas", "live");
        module("e1000", "live");
        module("slow", "coming");
        module("foo", "live");
        Map<String, List<String>> modules = Map.of("pci:megasas", List.of("megaraid_sas"), "pci:e1000", List.of("e1000"),
                "pci:rtl", List.of("8139cp", "8139too"), "pci:loading", List.of("slow"), "platform:foo", List.of("foo"));
        List<String> asked = new ArrayList<>();
        List<String> boundAfter = new Reprobe(sys, w -> { }).run(alias -> {
            asked.add(alias);
            return modules.getOrDefault(alias, List.of());
        });
        // a file stands in for the kernel's drivers_probe: it holds the one device written to it
        assertEquals("0000:00:13.0", Files.readString(sys.resolve("bus/pci/drivers_probe")));
        assertEquals(List.of(), boundAfter, "nothing binds in a fixture");
        assertEquals(List.of("pci:loading", "pci:megasas", "pci:rtl"), asked.stream().sorted().toList(),
                "bound devices and buses without drivers_probe are not even resolved");
    }
}
