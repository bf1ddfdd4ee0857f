package org.autoprobe.daemon.load;

import java.util.Objects;

/**
 * One module a device wants.
 *
 * @param module   the module name the lookup gave
 * @param target   what was looked up: the device's MODALIAS, or a name from the rules
 * @param devpath  the device that asked first
 * @param modalias the device's MODALIAS, or null
 * @param event    what announced the device: {@code coldplug}, {@code uevent} (the kernel's),
 *                 {@code boot plan}, {@code replay}
 */
public record LoadRequest(String module, String target, String devpath, String modalias, String event) {
    public LoadRequest {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(devpath, "devpath");
        Objects.requireNonNull(event, "event");
    }

    /** {@code e1000e for /devices/... (pci:v...)}, for log lines (a long MODALIAS cut). */
    String describe() {
        return module + " for " + devpath + (modalias == null ? "" : " (" + org.autoprobe.core.text.Abbrev.line(modalias) + ")");
    }
}
