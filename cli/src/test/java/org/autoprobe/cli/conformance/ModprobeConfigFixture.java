package org.autoprobe.cli.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A modprobe.d directory (given to both tools with {@code -C DIR}) that uses every directive on real modules of
 * the tree: config aliases (plain, glob, hiding an index alias, to an alias, to nothing), options by module name
 * (both spellings) and by alias, quoted option values, install with {@code $CMDLINE_OPTS} (with and without a
 * softdep that makes it ignored), remove, blacklist, softdep with several pre:/post: groups and globs, a file
 * that is not {@code .conf} (ignored) and bad lines (reported, skipped).
 */
final class ModprobeConfigFixture {
    /** Modules the directives name; each must be in the tree (checked). */
    static final List<String> MODULES = List.of("e1000e", "e1000", "igb", "8139too", "8139cp", "snd_hda_intel",
            "snd_hda_codec_realtek", "snd_hda_codec_hdmi", "ext4", "crc32c_generic", "mbcache", "dummy", "pcspkr",
            "vfat", "uhci_hcd", "ehci_hcd", "xfs", "loop", "uas", "usb_storage", "nouveau", "psmouse", "floppy");

    /** Lookup strings that exercise the directives (config-only names, aliases, blacklisted aliases). */
    static final List<String> LOOKUPS = List.of("my-nic", "my_nic", "my_netcard", "my-net", "mysound", "myfs", "ghost",
            "storage-a", "storage-b", "storage-c", "storage-d", "myfakecmd", "myfakeremove", "snd-hda-intel",
            "pci:v00008086d000010D3sv00001234sd00005678bc02sc00i00",
            "pci:v000010ECd00008139sv00001234sd00005678bc02sc00i00",
            "pci:v00008086d00002E6Esv0000AAAAsd0000BBBBbc02sc00i00",
            "fs-ext4", "fs-vfat", "symbol:jbd2_journal_start", "crypto-md5", "md5", "floppy", "8139too", "e1000",
            "uhci-hcd", "ext4", "vfat", "dummy", "pcspkr", "xfs", "nouveau", "usb-storage");

    private ModprobeConfigFixture() {
    }

    /** Writes the directory under the tree's work directory (once per call) and returns it. */
    static Path write(KernelTree tree, String name) {
        Set<String> have = new HashSet<>();
        tree.modules().forEach(m -> have.add(m.name()));
        return write(have, tree.packageName(), tree.workDir().resolve(name), false);
    }

    /**
     * Writes the directory {@code dir} for a tree whose modules are {@code have} (named {@code treeName} in
     * messages); with {@code weakdeps}, also kmod 34's {@code weakdep} lines (60-weakdep.conf: several names,
     * a dash spelling, a module not in the tree, one with no name after it). kmod 30 rejects those lines.
     */
    static Path write(Set<String> have, String treeName, Path dir, boolean weakdeps) {
        for (String m : MODULES) {
            if (!have.contains(m)) {
                throw new IllegalStateException("the config fixture needs module " + m + ", which "
                        + treeName + " does not ship: pick another module in ModprobeConfigFixture");
            }
        }
        try {
            if (weakdeps) {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("60-weakdep.conf"), String.join("\n",
                        "weakdep e1000e igb dummy",
                        "weakdep snd-hda-intel snd-hda-codec-hdmi   snd_hda_codec_realtek",
                        "weakdep xfs nosuchmod",
                        "weakdep nosuchmod loop",
                        "weakdep ext4",
                        ""));
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("00-aliases.conf"), String.join("\n",
                    "# aliases: plain, glob, hiding index aliases, to an alias, to nothing",
                    "alias my-nic e1000e",
                    "alias my_net* e1000",
                    "alias pci:v00008086d000010D3sv*sd*bc*sc*i* igb",
                    "alias pci:v000010ECd00008139sv*sd*bc*sc*i* 8139too",
                    "alias mysound snd-hda-intel",
                    "alias myfs fs-ext4",
                    "alias ghost nosuchmod",
                    "alias storage-[ab] usb-storage",
                    "alias storage-? uas",
                    "alias\tstorage-c   loop  ",
                    ""));
            Files.writeString(dir.resolve("10-options.conf"), String.join("\n",
                    "options e1000e InterruptThrottleRate=3000,3000 debug=2",
                    "options my-nic copybreak=128",
                    "options snd-hda-intel model=auto power_save=1 \"patch=a b\"",
                    "options snd_hda_intel index=0",
                    "options dummy numdummies=3",
                    "options 8139too debug=1",
                    "options psmouse proto=imps   resetafter=0",
                    "options my_net* TxDescriptors=256",
                    ""));
            Files.writeString(dir.resolve("20-commands.conf"), String.join("\n",
                    "install dummy /sbin/modprobe --ignore-install dummy $CMDLINE_OPTS && echo loaded-dummy",
                    "install pcspkr echo no beeping; /bin/true",
                    "install ext4 echo ext4 $CMDLINE_OPTS",
                    "install vfat /bin/true $CMDLINE_OPTS",
                    "install myfakecmd echo fake $CMDLINE_OPTS",
                    "remove e1000e echo removing e1000e",
                    "remove myfakeremove echo gone",
                    ""));
            Files.writeString(dir.resolve("30-blacklist.conf"), String.join("\n",
                    "blacklist 8139too",
                    "blacklist e1000",
                    "blacklist floppy",
                    ""));
            Files.writeString(dir.resolve("40-softdep.conf"), String.join("\n",
                    "softdep ext4 pre: crc32c_generic md5 post: mbcache",
                    "softdep snd-hda-intel pre: snd-hda-codec-realtek post: snd-hda-codec-hdmi",
                    "softdep uhci-hcd pre: ehci-hcd",
                    "softdep vfat pre: nosuchmod",
                    "softdep xfs pre: loop pre: dummy post: uas post: nosuchmod",
                    "softdep nouveau post: psmouse",
                    "softdep usb?storage pre: uas",
                    ""));
            Files.writeString(dir.resolve("50-continued.conf"), String.join("\n",
                    "# a comment, then a line continued with a backslash",
                    "options loop \\",
                    "  max_loop=8",
                    ""));
            Files.writeString(dir.resolve("99-bad.conf"), String.join("\n",
                    "this is not a directive",
                    "options",
                    "alias onlyonearg",
                    "softdep",
                    ""));
            Files.writeString(dir.resolve("README"), "blacklist ext4\nalias my-nic igb\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the modprobe.d fixture " + dir, e);
        }
        return dir;
    }
}
