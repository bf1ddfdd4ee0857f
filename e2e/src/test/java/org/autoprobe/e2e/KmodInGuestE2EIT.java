package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Proves the harness with kmod's own tools on the guest's real kernel: the guest boots Debian's
 * kernel, sees its modules, loads and unloads them, and reports the kernel's state back.
 */
class KmodInGuestE2EIT extends GuestPerClass {
    @Test
    void theGuestRunsDebiansKernelWithItsOwnModulesAndTheHostsTools() {
        CommandResult r = guest.check("""
                uname -r
                test -f /lib/modules/$(uname -r)/modules.dep.bin && echo indexed
                test -w /tmp && test -w /etc && echo writable
                command -v bash modprobe java
                java -XX:TieredStopAtLevel=1 -Xshare:auto -version 2>&1 | head -n 1
                """);
        timing("uname, files, java -version", r);
        List<String> lines = r.stdout().lines().toList();
        assertEquals(guest.kernelVersion(), lines.get(0), r.describe());
        assertEquals("indexed", lines.get(1), r.describe());
        assertEquals("writable", lines.get(2), r.describe());
        assertTrue(lines.get(lines.size() - 1).contains("version \"17"), r.describe());
        List<String> boot = guest.bootModules().stream().map(ProcModule::name).toList();
        assertTrue(boot.containsAll(List.of("9p", "9pnet_virtio", "overlay")), boot.toString());
        CommandResult bad = guest.run("echo to-err >&2; exit 7");
        assertEquals(7, bad.exitCode());
        assertEquals("to-err\n", bad.stderr());
    }

    @Test
    void aGuestThatCannotBootFailsLoudlyWithItsSerialConsole() {
        GuestException e = assertThrows(GuestException.class,
                () -> Guest.boot(GuestOptions.defaults().withKernelArgs("rdinit=/no/such/init")).close());
        assertTrue(e.getMessage().contains("before it was ready"), e.getMessage());
        assertTrue(e.getMessage().contains("Kernel panic"), e.getMessage());
    }

    @Test
    void insmodAndRmmodOfALeafModule() {
        CommandResult r = guest.check("insmod /lib/modules/$(uname -r)/kernel/drivers/net/dummy.ko");
        timing("insmod dummy.ko", r);
        ProcModule dummy = find(guest.procModules(), "dummy").orElseThrow(() -> new AssertionError("dummy not loaded"));
        assertEquals(0, dummy.refcount());
        assertEquals(List.of(), dummy.holders());
        assertEquals("Live", dummy.state());
        assertTrue(guest.sysModuleExists("dummy"));
        timing("rmmod dummy", guest.check("rmmod dummy"));
        assertFalse(guest.loadedNames().contains("dummy"));
        assertFalse(guest.sysModuleExists("dummy"));
    }

    @Test
    void modprobeLoadsADeepChainAndModprobeRemoveTakesOnlyUnusedModulesOfThatChain() {
        List<String> before = guest.loadedNames();
        List<String> chain = chain("snd-hda-intel");
        assertTrue(chain.size() >= 6, "snd-hda-intel's chain: " + chain);
        timing("modprobe snd-hda-intel", guest.check("modprobe snd-hda-intel"));
        List<ProcModule> loaded = guest.procModules();
        for (String m : chain) {
            assertTrue(find(loaded, m).isPresent(), m + " not loaded: " + loaded);
        }
        ProcModule snd = find(loaded, "snd").orElseThrow();
        assertTrue(snd.holders().contains("snd_pcm") && snd.refcount() == snd.holders().size(), snd.toString());
        CommandResult r = guest.check("modprobe -r -v snd-hda-intel");
        timing("modprobe -r snd-hda-intel", r);
        // kmod 30 removes the module, then each dependency unused at the moment it looks at it, in one
        // pass over the dependency list walked backwards: part of a deep chain stays loaded
        List<String> after = guest.loadedNames();
        assertFalse(after.contains("snd_hda_intel"), after.toString());
        for (String m : after) {
            assertTrue(before.contains(m) || chain.contains(m), m + " is not from snd-hda-intel's chain");
        }
        for (String line : r.stdout().lines().toList()) {
            assertTrue(line.startsWith("rmmod ") && chain.contains(line.substring(6)), r.describe());
        }
    }

    @Test
    void modprobeRemoveOfAShallowChainLeavesNothingBehind() {
        List<String> before = guest.loadedNames();
        assertEquals(List.of("fat", "vfat"), chain("vfat"));
        guest.check("modprobe vfat");
        assertTrue(guest.loadedNames().containsAll(List.of("fat", "vfat")));
        assertEquals("rmmod vfat\nrmmod fat\n", guest.check("modprobe -r -v vfat").stdout());
        assertEquals(before, guest.loadedNames());
    }

    @Test
    void optionsFromTheCommandLineAndFromModprobeDReachTheModule() {
        guest.check("modprobe dummy numdummies=3");
        assertEquals("3", guest.check("ls /sys/class/net | grep -c '^dummy'").stdout().strip());
        guest.check("modprobe loop max_loop=5 max_part=7");
        assertEquals("5", guest.parameters("loop").get("max_loop"));
        assertEquals("7", guest.parameters("loop").get("max_part"));
        guest.check("""
                echo 'options usb-storage delay_use=7 quirks=1234:5678:u' > /etc/modprobe.d/zz-e2e.conf
                modprobe usb_storage
                rm /etc/modprobe.d/zz-e2e.conf
                """);
        assertEquals("7", guest.parameters("usb_storage").get("delay_use"));
        assertEquals("1234:5678:u", guest.parameters("usb_storage").get("quirks"));
    }

    /** The modules {@code modprobe --show-depends} lists for a name, in load order. */
    static List<String> chain(String module) {
        List<String> chain = new ArrayList<>();
        for (String line : guest.check("modprobe --show-depends " + module).stdout().lines().toList()) {
            String file = line.split(" ")[1];
            chain.add(file.substring(file.lastIndexOf('/') + 1).replace(".ko", "").replace('-', '_'));
        }
        return chain;
    }

    @Test
    void lsmodListsProcModulesWithSysfsCountsAndHolders() {
        guest.check("modprobe usb-storage");
        List<ProcModule> proc = guest.procModules();
        List<String> lsmod = guest.check("lsmod").stdout().lines().toList();
        assertEquals("Module                  Size  Used by", lsmod.get(0));
        assertEquals(proc.size() + 1, lsmod.size(), String.join("\n", lsmod));
        for (int i = 0; i < proc.size(); i++) {
            ProcModule m = proc.get(i);
            String row = String.format("%-19s %8d  %d", m.name(), m.size(), m.refcount());
            assertTrue(lsmod.get(i + 1).startsWith(row), "row " + (i + 1) + ": " + lsmod.get(i + 1) + " vs " + m);
        }
    }

    static Optional<ProcModule> find(List<ProcModule> modules, String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    static void timing(String what, CommandResult r) {
        System.out.printf("  %-40s %6d ms%n", what, r.elapsed().toMillis());
    }
}
