package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * autoprobe's module loading (insmod, rmmod, lsmod, modprobe and modprobe -r through the kernel;
 * branch {@code kernel}) against kmod 30 in one guest: each step is done once with kmod and once with
 * autoprobe from the same starting state, and the tool's output, errors and exit code and the
 * kernel's {@code /proc/modules} afterwards (addresses aside) must be the same.
 */
class AutoprobeLoadingE2EIT extends GuestPerClass {
    @Test
    void insmodAndRmmodOfALeafModule() {
        String ko = "/lib/modules/" + guest.kernelVersion() + "/kernel/drivers/net/dummy.ko";
        sameStepAsKmod("", "insmod " + ko + " numdummies=2; ls /sys/class/net | grep -c '^dummy'");
        sameStepAsKmod("insmod " + ko, "rmmod dummy");
    }

    @Test
    void insmodAndRmmodRefusalsAreKmods() {
        String ko = "/lib/modules/" + guest.kernelVersion() + "/kernel/drivers/net/dummy.ko";
        sameStepAsKmod("insmod " + ko, "insmod " + ko);
        sameStepAsKmod("modprobe snd-pcm", "rmmod snd_timer");
        sameStepAsKmod("", "rmmod dummy");
        sameStepAsKmod("", "insmod /nonexistent/x.ko");
    }

    @Test
    void modprobeOfADeepChainLoadsWhatKmodLoadsInTheSameOrder() {
        sameStepAsKmod("", "modprobe -v snd-hda-intel");
        sameStepAsKmod("modprobe snd-pcm", "modprobe -v snd-hda-intel");
    }

    @Test
    void modprobeRemoveOfAShallowChainUnloadsWhatKmodUnloads() {
        sameStepAsKmod("modprobe vfat", "modprobe -r -v vfat");
    }

    /**
     * kmod 30 removes the module, then walks its dependency list (as modules.dep gives it) backwards
     * once, removing each dependency whose refcount is 0 at that moment: for snd-hda-intel only
     * snd_hda_codec and snd_intel_dspcfg go, seven modules stay; for usb-storage scsi_common and
     * usb_common stay.
     */
    @Test
    void modprobeRemoveOfADeepChainLeavesWhatKmodLeaves() {
        sameStepAsKmod("modprobe snd-hda-intel", "modprobe -r -v snd-hda-intel");
        sameStepAsKmod("modprobe usb-storage", "modprobe -r -v usb-storage");
    }

    /**
     * {@code --remove-holders} removes the modules holding the named one first (vfat holds fat; the
     * sound stack holds snd-pcm); {@code -w} retries a module in use until the time is up, or until
     * its holder goes (removed in the background while modprobe waits).
     */
    @Test
    void removeHoldersAndWaitAreKmods() {
        // kmod 30 removes vfat, whose dependency walk already takes fat, then tries fat itself again:
        // "rmmod fat" twice and a failed delete_module (libkmod's source location left out of its message)
        String libkmodMessage = " 2>&1 | sed 's|[^ ]*libkmod-module.c:[0-9]* [a-z_]*() ||'; exit ${PIPESTATUS[0]}";
        sameStepAsKmod("modprobe vfat", "modprobe -r -v --remove-holders fat" + libkmodMessage);
        sameStepAsKmod("modprobe snd-hda-intel", "modprobe -r -v --remove-holders snd-pcm" + libkmodMessage);
        sameStepAsKmod("modprobe vfat; (sleep 15; rmmod vfat) >/dev/null 2>&1 &", "modprobe -r -v -w 60000 fat");
        sameStepAsKmod("", "modprobe -r -w 12x vfat");

        // The one difference, on purpose (docs/COMPATIBILITY.md): when the time is up, kmod 30's retry loop
        // has just overwritten the error with its sleep's 0, so it exits 0 silently with fat still loaded;
        // autoprobe says it could not remove fat and exits 1. Both leave the same modules loaded.
        // kmod 30's backoff also spins for ever when a retry wakes up after the deadline (a late wake-up
        // under TCG is enough: kmod issue #386), so its run is killed after 60 s; a spin (exit 137, its
        // buffered "rmmod fat" lost) is accepted as kmod's answer, fat still loaded either way.
        String step = "modprobe -r -v -w 500 fat" + libkmodMessage;
        Outcome kmod = runFromBootState("modprobe vfat",
                "timeout -s KILL 60 modprobe -r -v -w 500 fat" + libkmodMessage);
        Outcome ours = runFromBootState("modprobe vfat", guest.launcher() + " " + step);
        String context = "kmod: " + kmod.result().describe() + "\nautoprobe: " + ours.result().describe();
        assertEquals(1, ours.result().exitCode(), context);
        if (kmod.result().exitCode() == 137) {
            System.out.println("  kmod's modprobe -r -w 500 fat spun past its deadline and was killed after 60 s");
        } else {
            assertEquals(0, kmod.result().exitCode(), context);
            assertEquals("rmmod fat\n", kmod.result().stdout(), context);
        }
        assertEquals("rmmod fat\nmodprobe: ERROR: could not remove 'fat': Resource temporarily unavailable\n",
                ours.result().stdout(), context);
        assertEquals(kmod.modules(), ours.modules(), context);
        assertTrue(ours.modules().stream().anyMatch(m -> m.name().equals("fat")), context);
    }

    @Test
    void modprobeRefusalsAndNoOpsAreKmods() {
        sameStepAsKmod("", "modprobe nosuchmodule");
        sameStepAsKmod("modprobe vfat", "modprobe vfat");
        sameStepAsKmod("modprobe vfat", "modprobe --first-time vfat");
        sameStepAsKmod("", "modprobe -r vfat");
        sameStepAsKmod("modprobe vfat", "modprobe -r fat");
    }

    @Test
    void optionsFromTheCommandLineAndFromModprobeDAreKmods() {
        sameStepAsKmod("", "modprobe loop max_loop=5 max_part=7; cat /sys/module/loop/parameters/max_loop "
                + "/sys/module/loop/parameters/max_part");
        sameStepAsKmod("echo 'options usb-storage delay_use=7 quirks=1234:5678:u' > /etc/modprobe.d/zz-e2e.conf",
                "modprobe usb_storage; cat /sys/module/usb_storage/parameters/delay_use "
                        + "/sys/module/usb_storage/parameters/quirks");
        guest.check("rm -f /etc/modprobe.d/zz-e2e.conf");
    }

    @Test
    void blacklistHoldsForAliasesNotForTheExplicitName() {
        String conf = "echo 'blacklist vfat' > /etc/modprobe.d/zz-e2e.conf";
        try {
            sameStepAsKmod(conf, "modprobe -v fs-vfat");
            sameStepAsKmod(conf, "modprobe -v vfat");
            sameStepAsKmod(conf, "modprobe -v -b vfat");
        } finally {
            guest.check("rm -f /etc/modprobe.d/zz-e2e.conf");
        }
    }

    @Test
    void softdepsAndInstallCommandsRunAsKmodRunsThem() {
        try {
            sameStepAsKmod("echo 'softdep vfat pre: dummy post: loop' > /etc/modprobe.d/zz-e2e.conf",
                    "modprobe -v vfat");
            sameStepAsKmod("echo 'install dummy echo installing $CMDLINE_OPTS; /sbin/modprobe --ignore-install dummy "
                    + "$CMDLINE_OPTS' > /etc/modprobe.d/zz-e2e.conf", "modprobe -v dummy numdummies=3; "
                    + "ls /sys/class/net | grep -c '^dummy'");
            // libkmod's own error lines carry its source location ("../libkmod/libkmod-module.c:1047
            // command_do() "), which is not ours to copy: compared without it
            sameStepAsKmod("echo 'install dummy /bin/false' > /etc/modprobe.d/zz-e2e.conf",
                    "modprobe dummy 2>&1 | sed 's|[^ ]*libkmod-module.c:[0-9]* [a-z_]*() ||'; exit ${PIPESTATUS[0]}");
        } finally {
            guest.check("rm -f /etc/modprobe.d/zz-e2e.conf");
        }
    }

    @Test
    void aCorruptModuleIsRefusedAndNothingElseMoves() {
        String ko = "/lib/modules/" + guest.kernelVersion() + "/kernel/drivers/net/dummy.ko";
        guest.check("mkdir -p /var/tmp/e2e && printf 'not an ELF module at all' > /var/tmp/e2e/bad.ko"
                + " && head -c 4000 " + ko + " > /var/tmp/e2e/truncated.ko");
        sameStepAsKmod("modprobe vfat", "insmod /var/tmp/e2e/bad.ko");
        sameStepAsKmod("modprobe vfat", "insmod /var/tmp/e2e/truncated.ko");
    }

    @Test
    void lsmodIsKmodsByteForByte() {
        guest.check("modprobe snd-hda-intel; modprobe usb-storage; modprobe dummy");
        CommandResult r = guest.run("cmp <(" + guest.launcher() + " lsmod) <(lsmod) && " + guest.launcher()
                + " lsmod | diff - <(lsmod)");
        timing("autoprobe lsmod", r);
        assertEquals(0, r.exitCode(), r.describe());
    }

    /**
     * From the boot state, runs {@code setup} then kmod's {@code step}; back to the boot state, runs
     * {@code setup} then {@code autoprobe step}: stdout, stderr, exit code and /proc/modules after must match.
     * A step is one command, optionally followed by {@code ; more shell} that both runs share.
     */
    static void sameStepAsKmod(String setup, String step) {
        Outcome kmod = runFromBootState(setup, step);
        Outcome ours = runFromBootState(setup, guest.launcher() + " " + step);
        timing("autoprobe " + step, ours.result());
        String context = "step: " + step + (setup.isEmpty() ? "" : " after: " + setup) + "\nkmod: "
                + kmod.result().describe() + "\nautoprobe: " + ours.result().describe();
        assertEquals(kmod.result().stdout(), ours.result().stdout(), "stdout\n" + context);
        assertEquals(kmod.result().stderr(), ours.result().stderr(), "stderr\n" + context);
        assertEquals(kmod.result().exitCode(), ours.result().exitCode(), "exit code\n" + context);
        assertEquals(kmod.modules(), ours.modules(), "/proc/modules afterwards\n" + context);
    }

    private record Outcome(CommandResult result, List<ProcModule> modules) {
    }

    private static Outcome runFromBootState(String setup, String step) {
        assertEquals(List.of(), guest.unloadAllButBootModules(), "cannot get back to the boot state");
        if (!setup.isEmpty()) {
            guest.check(setup);
        }
        CommandResult r = guest.run(step);
        return new Outcome(r, guest.procModules());
    }

    static void timing(String what, CommandResult r) {
        System.out.printf("  %-60s %6d ms%n", what, r.elapsed().toMillis());
    }
}
