package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

/**
 * autoprobe's deciding and printing modes against kmod 30 inside one guest, on the running kernel's
 * real module tree, its real devices and the host's real modprobe.d: output, errors and exit code
 * must be the same.
 */
class AutoprobeVsKmodE2EIT extends GuestPerClass {
    @Test
    void showDependsOfDeepChainsLoadedAndNotIsKmods() {
        // 9p and overlay are loaded (the initramfs did it); --show-depends lists them all the same
        sameAsKmod("modprobe --show-depends snd-hda-intel");
        sameAsKmod("modprobe --show-depends -a usb-storage btrfs 9p overlay nosuchmodule");
    }

    @Test
    void dryRunSkipsWhatTheKernelHasLive() {
        guest.check("modprobe snd-pcm");
        sameAsKmod("modprobe -n -v snd-hda-intel");
        sameAsKmod("modprobe -n -v --first-time snd-pcm");
    }

    @Test
    void everyRealDeviceAliasResolvesAsKmodResolvesIt() {
        CommandResult aliases = guest.check("cat $(find /sys/devices -name modalias) | sort -u > /tmp/aliases; "
                + "wc -l < /tmp/aliases");
        assertTrue(Integer.parseInt(aliases.stdout().strip()) >= 5, "too few device aliases: " + aliases.stdout());
        CommandResult kmod = guest.check("""
                while read -r a; do
                  m="$(modprobe -R "$a" 2>/dev/null | awk '!seen[$0]++' | paste -sd' ')"
                  printf '%s\\t%s\\n' "$a" "${m:--}"
                done < /tmp/aliases
                """);
        CommandResult ours = guest.check(guest.launcher() + " resolve - < /tmp/aliases");
        timing("autoprobe resolve (" + aliases.stdout().strip() + " device aliases)", ours);
        assertEquals(kmod.stdout(), ours.stdout(), ours.describe());
    }

    @Test
    void showConfigDumpsTheSameConfigurationAndIndexes() {
        CommandResult r = guest.run("cmp <(" + guest.launcher() + " modprobe -c) <(modprobe -c)");
        timing("autoprobe modprobe -c", r);
        assertEquals(0, r.exitCode(), r.describe());
    }

    @Test
    void modinfoOfModulesOnTheRunningKernelIsKmods() {
        sameAsKmod("modinfo dummy");
        sameAsKmod("modinfo -F depends snd-hda-intel");
        sameAsKmod("modinfo nosuchmodule");
    }

    /** Runs {@code autoprobe <command>} and kmod's {@code <command>} and wants the same stdout, stderr and exit code. */
    static void sameAsKmod(String command) {
        CommandResult kmod = guest.run(command);
        CommandResult ours = guest.run(guest.launcher() + " " + command);
        timing("autoprobe " + command, ours);
        assertEquals(kmod.stdout(), ours.stdout(), "stdout of " + command + "\n" + ours.describe());
        assertEquals(kmod.stderr(), ours.stderr(), "stderr of " + command + "\n" + ours.describe());
        assertEquals(kmod.exitCode(), ours.exitCode(), "exit code of " + command + "\n" + ours.describe());
    }

    static void timing(String what, CommandResult r) {
        System.out.printf("  %-60s %6d ms%n", what, r.elapsed().toMillis());
    }
}
