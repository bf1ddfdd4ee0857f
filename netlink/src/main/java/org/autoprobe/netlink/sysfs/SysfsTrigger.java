package org.autoprobe.netlink.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

import org.autoprobe.netlink.uevent.UeventAction;

/**
 * Makes the kernel announce devices again, as {@code udevadm trigger} does: writes an action word
 * to the {@code uevent} file of every device under a directory, parents before children, without
 * following symbolic links. Boot coldplug and the resynchronisation after a socket overflow write
 * {@code add} under {@code /sys/devices}; the announcements then arrive on the uevent socket with
 * {@code SYNTH_UUID} set.
 */
public final class SysfsTrigger {
    private SysfsTrigger() {
    }

    /**
     * Triggers every device under {@code dir} (e.g. {@code /sys/devices}, or one device's directory).
     *
     * @param uuid     null for a plain action word ({@code SYNTH_UUID=0}), or a UUID the kernel
     *                 will echo as {@code SYNTH_UUID}, so the caller can tell its own announcements
     * @param warnings where a device whose file cannot be written is reported (the walk goes on)
     * @return how many devices were triggered
     */
    public static int trigger(Path dir, UeventAction action, String uuid, Consumer<String> warnings) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + ": no such directory (is sysfs mounted?)");
        }
        byte[] word = (uuid == null ? action.text() : action.text() + " " + uuid).getBytes(StandardCharsets.US_ASCII);
        int[] done = {0};
        SysfsDevices.forEachUevent(dir, (d, uevent) -> {
            try {
                Files.write(uevent, word, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                done[0]++;
            } catch (IOException e) {
                warnings.accept(uevent + ": cannot trigger: " + e.getMessage());
            }
        }, warnings);
        return done[0];
    }
}
