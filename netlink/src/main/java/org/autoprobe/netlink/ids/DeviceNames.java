package org.autoprobe.netlink.ids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A device's readable name from the id databases the machine has: udev's {@code hwdb.bin} when
 * there is one (every bus it knows: {@code ID_VENDOR_FROM_DATABASE} and
 * {@code ID_MODEL_FROM_DATABASE}), else {@code pci.ids} and {@code usb.ids} (pciutils', usbutils'
 * or hwdata's) for PCI and USB MODALIAS values. What lspci and lsusb print, for every bus udev knows.
 */
public final class DeviceNames {
    /** Where Debian's packages put the id files, in the order tried. */
    static final List<Path> PCI_IDS = List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));
    static final List<Path> USB_IDS = List.of(Path.of("/usr/share/misc/usb.ids"), Path.of("/var/lib/usbutils/usb.ids"),
            Path.of("/usr/share/hwdata/usb.ids"));

    private final Hwdb hwdb;
    private final Path pciIds;
    private final Path usbIds;
    private Map<String, String> pci;
    private Map<String, String> usb;

    private DeviceNames(Hwdb hwdb, Path pciIds, Path usbIds) {
        this.hwdb = hwdb;
        this.pciIds = pciIds;
        this.usbIds = usbIds;
    }

    /** The machine's databases (udev's hwdb.bin first, then the id files). */
    public static DeviceNames system(Consumer<String> warnings) {
        return open(Hwdb.DEFAULT_PATHS, PCI_IDS, USB_IDS, warnings);
    }

    /**
     * The first of each list that exists; a database that cannot be read is reported once to
     * {@code warnings} and left out (names then come from the others, or not at all).
     */
    static DeviceNames open(List<Path> hwdbs, List<Path> pciIds, List<Path> usbIds, Consumer<String> warnings) {
        Hwdb hwdb = null;
        for (Path p : hwdbs) {
            if (Files.isRegularFile(p)) {
                try {
                    hwdb = Hwdb.open(p);
                } catch (IOException e) {
                    warnings.accept(e.getMessage() + "; names from pci.ids/usb.ids only");
                }
                break;
            }
        }
        return new DeviceNames(hwdb, first(pciIds), first(usbIds));
    }

    private static Path first(List<Path> paths) {
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Whether any database is there. */
    boolean any() {
        return hwdb != null || pciIds != null || usbIds != null;
    }

    /** {@code VENDOR MODEL} (or the one known) for a MODALIAS; empty when no database knows it. */
    public Optional<String> name(String modalias) {
        if (hwdb != null) {
            Map<String, String> p = hwdb.lookup(modalias);
            Optional<String> n = join(p.get("ID_VENDOR_FROM_DATABASE"), p.get("ID_MODEL_FROM_DATABASE"));
            if (n.isPresent()) {
                return n;
            }
        }
        if (modalias.startsWith("pci:v") && modalias.length() >= 22 && modalias.charAt(13) == 'd' && pciIds != null) {
            String v = modalias.substring(9, 13).toLowerCase(java.util.Locale.ROOT);
            String d = modalias.substring(18, 22).toLowerCase(java.util.Locale.ROOT);
            Map<String, String> ids = pci();
            return join(ids.get(v), ids.get(v + ":" + d));
        }
        if (modalias.startsWith("usb:v") && modalias.length() >= 14 && modalias.charAt(9) == 'p' && usbIds != null) {
            String v = modalias.substring(5, 9).toLowerCase(java.util.Locale.ROOT);
            String d = modalias.substring(10, 14).toLowerCase(java.util.Locale.ROOT);
            Map<String, String> ids = usb();
            return join(ids.get(v), ids.get(v + ":" + d));
        }
        return Optional.empty();
    }

    private static Optional<String> join(String vendor, String model) {
        if (vendor == null && model == null) {
            return Optional.empty();
        }
        return Optional.of(vendor == null ? model : model == null ? vendor : vendor + " " + model);
    }

    private Map<String, String> pci() {
        if (pci == null) {
            pci = readIds(pciIds);
        }
        return pci;
    }

    private Map<String, String> usb() {
        if (usb == null) {
            usb = readIds(usbIds);
        }
        return usb;
    }

    /**
     * The vendor ({@code vvvv  Name}) and device ({@code \tdddd  Name}) lines of a pci.ids-style
     * file as {@code vvvv} and {@code vvvv:dddd}; the first section that is not vendors ends it
     * (pci.ids' classes, usb.ids' classes), subsystem lines are skipped.
     */
    static Map<String, String> readIds(Path file) {
        Map<String, String> out = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return out;
        }
        String vendor = null;
        for (String line : lines) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.startsWith("\t\t")) {
                continue;
            }
            if (line.charAt(0) == '\t') {
                if (vendor != null && line.length() > 7 && hex4(line, 1) && line.charAt(5) == ' ') {
                    out.putIfAbsent(vendor + ":" + line.substring(1, 5).toLowerCase(java.util.Locale.ROOT),
                            line.substring(5).strip());
                }
                continue;
            }
            if (line.length() > 6 && hex4(line, 0) && line.charAt(4) == ' ') {
                vendor = line.substring(0, 4).toLowerCase(java.util.Locale.ROOT);
                out.putIfAbsent(vendor, line.substring(4).strip());
            } else {
                break; // "C 00  Unclassified device" and the like: the vendor list is over
            }
        }
        return out;
    }

    private static boolean hex4(String s, int from) {
        if (s.length() < from + 4) {
            return false;
        }
        for (int i = from; i < from + 4; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
