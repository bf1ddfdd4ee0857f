package org.autoprobe.daemon.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoprobe.daemon.control.ControlException;
import org.autoprobe.daemon.control.ControlRequest;
import org.autoprobe.daemon.control.ControlServer;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.rules.udev.KmodLoad;
import org.autoprobe.rules.udev.UeventView;

/**
 * The control socket's commands: {@code status}, {@code metrics} (the Prometheus text),
 * {@code timeline} (the last coldplug as SVG), {@code resolve ALIAS...}, {@code explain DEVPATH}
 * (anyone), {@code reload} and {@code coldplug} (root; the server checks).
 */
final class DaemonControl implements ControlServer.Handler {
    private final Daemon daemon;

    DaemonControl(Daemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public List<String> handle(ControlRequest req) throws ControlException {
        switch (req.command()) {
            case "status":
                return daemon.status();
            case "metrics":
                // the text format's lines; the client prints each with its newline: the same text, final newline included
                return List.of(daemon.metricsText().split("\n"));
            case "timeline":
                return org.autoprobe.daemon.timeline.TimelineSvg.lines(daemon.timeline());
            case "resolve": {
                if (req.args().isEmpty()) {
                    throw new ControlException("usage: resolve ALIAS...");
                }
                Generation g = daemon.generation();
                List<String> out = new ArrayList<>();
                for (String a : req.args()) {
                    out.add(g.resolver().resolveLine(a, true));
                }
                return out;
            }
            case "explain":
                if (req.args().size() != 1) {
                    throw new ControlException("usage: explain DEVPATH");
                }
                return explain(req.args().get(0));
            case "reload":
                try {
                    return List.of("generation=" + daemon.reload().id());
                } catch (ReloadException e) {
                    throw new ControlException("reload failed: " + e.getMessage());
                }
            case "coldplug":
                try {
                    return List.of("devices=" + daemon.coldplug());
                } catch (IOException e) {
                    throw new ControlException("coldplug failed: " + e.getMessage());
                }
            case "help":
                return List.of("status", "metrics", "timeline", "resolve ALIAS...", "explain DEVPATH", "reload (root)",
                        "coldplug (root)");
            default:
                throw new ControlException("unknown command '" + req.command() + "' (try help)");
        }
    }

    /** What the rules and the index say about one device, and what became of its modules. */
    private List<String> explain(String arg) throws ControlException {
        String devpath = arg.startsWith("/sys/") ? arg.substring(4) : arg;
        if (!devpath.startsWith("/devices/") || !plainPath(devpath.substring(1))) {
            throw new ControlException("not a device path under /devices: " + printable(arg));
        }
        Generation g = daemon.generation();
        Path sys = daemon.sysRoot();
        Path dir;
        try {
            dir = sys.resolve(devpath.substring(1));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ControlException("not a device path: " + e.getReason());
        }
        Map<String, String> props = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("uevent"), StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    props.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NoSuchFileException e) {
            throw new ControlException("no device " + devpath + " (no " + dir.resolve("uevent") + ")");
        } catch (IOException e) {
            throw new ControlException("cannot read " + dir.resolve("uevent") + ": " + e.getMessage());
        }
        String subsystem = link(dir.resolve("subsystem"));
        UeventView view = new UeventView() {
            @Override
            public String action() {
                return "add";
            }

            @Override
            public String devpath() {
                return devpath;
            }

            @Override
            public String subsystem() {
                return subsystem;
            }

            @Override
            public String driver() {
                return props.get("DRIVER");
            }

            @Override
            public String property(String key) {
                return props.get(key);
            }
        };
        List<String> out = new ArrayList<>();
        out.add("devpath=" + devpath);
        out.add("subsystem=" + (subsystem == null ? "-" : subsystem));
        out.add("driver=" + props.getOrDefault("DRIVER", "-"));
        out.add("modalias=" + props.getOrDefault("MODALIAS", "-"));
        out.add("generation=" + g.id());
        List<KmodLoad> loads = g.rules().evaluate(view, g.sysfs());
        if (loads.isEmpty()) {
            out.add("rules: no kmod load for an add of this device");
        }
        Map<String, LoadResult> done = daemon.loads();
        for (KmodLoad load : loads) {
            for (String target : load.targets(view)) {
                List<String> modules = g.resolver().resolve(target, true);
                out.add("kmod load " + target + " -> " + (modules.isEmpty() ? "-" : String.join(" ", modules)));
                for (String m : modules) {
                    LoadResult r = done.get(m);
                    out.add("  " + m + ": " + (r == null ? "not loaded by autoprobe"
                            : r.statusText() + " (for " + r.request().devpath() + ", generation " + r.generation() + ")"
                            + (r.detail().isEmpty() ? "" : ": " + r.detail())));
                }
            }
        }
        return out;
    }

    /** Components that are neither empty, "." nor "..", with no control character: it stays below /sys. */
    static boolean plainPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
                return false;
            }
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** A request's word as it may be echoed: control characters as {@code \xNN}, at most 200 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() < 200 ? b.toString() : b + "...";
    }

    private static String link(Path p) {
        try {
            if (Files.isSymbolicLink(p)) {
                Path t = Files.readSymbolicLink(p).getFileName();
                return t == null ? null : t.toString();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
