package org.autoprobe.daemon.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.autoprobe.daemon.control.ControlException;
import org.autoprobe.daemon.control.ControlRequest;
import org.autoprobe.daemon.control.ControlServer;
import org.autoprobe.daemon.explain.Explainer;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadResult;

/**
 * The control socket's commands: {@code status}, {@code metrics} (the Prometheus text),
 * {@code timeline} (the last coldplug as SVG), {@code resolve ALIAS...}, {@code explain DEVPATH|MODALIAS|MODULE}
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
                    throw new ControlException("usage: explain DEVPATH|MODALIAS|MODULE");
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
                return List.of("status", "metrics", "timeline", "resolve ALIAS...", "explain DEVPATH|MODALIAS|MODULE", "reload (root)",
                        "coldplug (root)");
            default:
                throw new ControlException("unknown command '" + req.command() + "' (try help)");
        }
    }

    /**
     * What the rules, the index and the configuration say about a device, an alias or a module
     * (the answer of {@code autoprobe explain}, from this generation), and what the daemon did.
     */
    private List<String> explain(String arg) throws ControlException {
        boolean path = arg.startsWith("/");
        if (path) {
            String devpath = arg.startsWith("/sys/") ? arg.substring(4) : arg;
            if (!devpath.startsWith("/devices/") || !plainPath(devpath.substring(1))) {
                throw new ControlException("not a device path under /devices: " + printable(arg));
            }
            Path dir;
            try {
                dir = daemon.sysRoot().resolve(devpath.substring(1));
            } catch (java.nio.file.InvalidPathException e) {
                throw new ControlException("not a device path: " + e.getReason());
            }
            if (!Files.isRegularFile(dir.resolve("uevent"))) {
                throw new ControlException("no device " + devpath + " (no " + dir.resolve("uevent") + ")");
            }
            arg = devpath;
        }
        Generation g = daemon.generation();
        Map<String, LoadResult> done = daemon.loads();
        Explainer.History history = new Explainer.History() {
            @Override
            public Optional<String> load(String module) {
                LoadResult r = done.get(module);
                if (r == null) {
                    return Optional.of("not loaded by this daemon");
                }
                return Optional.of(r.reason().word() + " for " + r.request().devpath()
                        + (r.request().target().equals(r.request().devpath()) ? ""
                        : " (" + Explainer.shorten(r.request().target()) + ")")
                        + ", " + r.request().event() + " event, generation " + r.generation()
                        + (r.detail().isEmpty() ? "" : ": " + r.detail()));
            }

            @Override
            public Optional<String> loadedFor(String module) {
                LoadResult r = done.get(module);
                return r == null ? Optional.empty() : Optional.of(r.request().devpath());
            }
        };
        Explainer explainer = new Explainer(g.resolver().resolver(), g.configLines(), g.rules(), g.moduleDir(),
                daemon.sysRoot(), daemon.kernelState(), history);
        List<String> out = new ArrayList<>();
        out.add("generation " + g.id());
        for (String line : explainer.explain(arg)) {
            out.add(printable(line, Integer.MAX_VALUE));
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
        return printable(s, 200);
    }

    /** As {@link #printable(String)}, cut at {@code max} characters. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() < max ? b.toString() : b + "...";
    }

}
