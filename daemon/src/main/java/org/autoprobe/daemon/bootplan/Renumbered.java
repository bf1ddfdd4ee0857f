package org.autoprobe.daemon.bootplan;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a plan's device may be at this boot when it is not at its planned path: the same path with
 * other numbers where the kernel numbers devices in the order they are found. USB buses
 * ({@code usb1}/{@code usb2}, and with them {@code 1-1}, {@code 1-1:1.0}), HID devices
 * ({@code 0003:0627:0001.0002}), input devices, SCSI hosts and ATA ports are numbered so, and the
 * host controllers' drivers probe in parallel: a keyboard's devices were under {@code usb2} at one
 * boot and {@code usb1} at the next.
 *
 * <p>A candidate is only a place to look: the runner takes the device found there only if its
 * {@code uevent} and every read its rules made (moved to the new path, the rules' tests of the name
 * and path among them) give the plan's answers, i.e. only if its decision is the plan's.
 *
 * <p>The walk follows the planned path; a component with digits in it may be replaced by a sibling
 * of the same shape (each run of decimal digits as one {@code #}) when the component itself leads
 * nowhere. PCI addresses and PCI roots are topology, not order, and are never replaced. The walk is
 * bounded ({@link #MAX_LISTINGS} directory listings, {@link #MAX_FOUND} candidates).
 */
final class Renumbered {
    /** Directory listings one search may make. */
    static final int MAX_LISTINGS = 48;
    /** Candidates one search returns at most. */
    static final int MAX_FOUND = 8;

    private static final Pattern FIXED = Pattern.compile(
            "[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]|pci[0-9a-f]{4}:[0-9a-f]{2}");

    private Renumbered() {
    }

    /** {@code name} with each run of decimal digits as one {@code #}. */
    static String shape(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean digits = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean d = c >= '0' && c <= '9';
            if (!d) {
                b.append(c);
            } else if (!digits) {
                b.append('#');
            }
            digits = d;
        }
        return b.toString();
    }

    /** Whether a path component may be numbered otherwise at another boot. */
    static boolean renumberable(String name) {
        return name.chars().anyMatch(c -> c >= '0' && c <= '9') && !FIXED.matcher(name).matches();
    }

    /**
     * The devpaths below {@code sysRoot} that have {@code devpath}'s shape, with its own components
     * where they lead somewhere: never {@code devpath} itself. Empty when {@code devpath} is not a
     * {@code /devices/} path.
     */
    static List<String> candidates(Path sysRoot, String devpath) {
        List<String> out = new ArrayList<>();
        if (!devpath.startsWith("/devices/")) {
            return out;
        }
        String[] parts = devpath.substring(1).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                return out;
            }
        }
        walk(sysRoot, parts, 1, "/devices", devpath, out, new int[] {MAX_LISTINGS});
        return out;
    }

    private static void walk(Path sysRoot, String[] parts, int i, String at, String planned, List<String> out, int[] listings) {
        if (out.size() >= MAX_FOUND) {
            return;
        }
        if (i == parts.length) {
            if (!at.equals(planned)) {
                out.add(at);
            }
            return;
        }
        String c = parts[i];
        Path dir = sysRoot.resolve(at.substring(1));
        if (Files.isDirectory(dir.resolve(c), LinkOption.NOFOLLOW_LINKS)) {
            walk(sysRoot, parts, i + 1, at + "/" + c, planned, out, listings);
        }
        if (!renumberable(c) || out.size() >= MAX_FOUND || listings[0] <= 0) {
            return;
        }
        listings[0]--;
        String shape = shape(c);
        List<String> siblings = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.equals(c) && shape(n).equals(shape) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    siblings.add(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // gone meanwhile, or unreadable: nothing there to take
        }
        siblings.sort(null);
        for (String n : siblings) {
            walk(sysRoot, parts, i + 1, at + "/" + n, planned, out, listings);
        }
    }
}
