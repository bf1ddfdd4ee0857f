package org.autoprobe.daemon.timeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autoprobe.daemon.load.LoadResult;

/**
 * Draws a {@link Timeline} as SVG, as {@code systemd-analyze plot} draws units: a time axis with
 * gridlines from the process's start, one row per device (its event announced ●, resolved ▲) and
 * under it one row per module loaded for it (a bar from the load's start to its end, coloured by
 * how it ended; a failure marked ✗ with its errno), a legend, and lines where the process started,
 * the coldplug began and where it settled. Hand-written XML: every text from the kernel or the
 * files (device paths, MODALIAS, module names, failure texts) is escaped, and characters XML
 * cannot hold are shown as {@code \xNN}.
 */
public final class TimelineSvg {
    static final int MARGIN = 16;
    static final int LABEL_WIDTH = 440;
    static final int PLOT_WIDTH = 900;
    static final int RIGHT = 230;
    static final int ROW = 18;
    static final int TOP = 124;
    /** Label characters that fit the label column (11 px monospace: 6.6 px a character). */
    static final int LABEL_CHARS = 64;

    private static final Map<LoadResult.Status, String> CLASSES = new EnumMap<>(LoadResult.Status.class);

    static {
        CLASSES.put(LoadResult.Status.LOADED, "loaded");
        CLASSES.put(LoadResult.Status.ALREADY_LOADED, "already");
        CLASSES.put(LoadResult.Status.BLACKLISTED, "blacklisted");
        CLASSES.put(LoadResult.Status.NOT_FOUND, "notfound");
        CLASSES.put(LoadResult.Status.FAILED, "failed");
    }

    private TimelineSvg() {
    }

    /** One device's rows: its events and the loads made for it. */
    private record Group(String devpath, List<Timeline.Device> events, List<Timeline.Load> loads) {
        long first() {
            long t = Long.MAX_VALUE;
            for (Timeline.Device d : events) {
                t = Math.min(t, d.announced());
            }
            for (Timeline.Load l : loads) {
                t = Math.min(t, l.start());
            }
            return t;
        }
    }

    /** The SVG document, a line at a time (no line holds a newline). */
    public static List<String> lines(Timeline t) {
        return List.of(render(t).split("\n"));
    }

    public static String render(Timeline t) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Timeline.Device d : t.devices()) {
            groups.computeIfAbsent(d.devpath(), k -> new Group(k, new ArrayList<>(), new ArrayList<>())).events().add(d);
        }
        for (Timeline.Load l : t.loads()) {
            groups.computeIfAbsent(l.devpath(), k -> new Group(k, new ArrayList<>(), new ArrayList<>())).loads().add(l);
        }
        List<Group> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.comparingLong(Group::first));
        for (Group g : ordered) {
            g.loads().sort(Comparator.comparingLong(Timeline.Load::start));
        }
        int rows = 0;
        for (Group g : ordered) {
            rows += 1 + g.loads().size();
        }

        long last = Math.max(t.end(), t.begin());
        for (Timeline.Device d : t.devices()) {
            last = Math.max(last, Math.max(d.announced(), d.resolved()));
        }
        for (Timeline.Load l : t.loads()) {
            last = Math.max(last, l.end());
        }
        long step = step(Math.max(last, 1_000_000L));
        long axis = (Math.max(last, 1) + step - 1) / step * step;
        Scale x = new Scale(axis);

        int plotTop = TOP;
        int plotBottom = TOP + Math.max(rows, 1) * ROW;
        int width = MARGIN + LABEL_WIDTH + PLOT_WIDTH + RIGHT;
        int height = plotBottom + 28;
        StringBuilder b = new StringBuilder(4096 + rows * 300);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"11\">\n");
        b.append("<title>").append(text(t.title())).append("</title>\n");
        b.append("<style>\n")
                .append(".label{font-family:'DejaVu Sans Mono',monospace}\n")
                .append(".grid{stroke:#dddddd;stroke-width:1}\n")
                .append(".tick{fill:#555555;text-anchor:middle}\n")
                .append(".stripe{fill:#f4f6f8}\n")
                .append(".loaded{fill:#43a047}\n")
                .append(".wouldload{fill:#9ccc65}\n")
                .append(".already{fill:#90a4ae}\n")
                .append(".blacklisted{fill:#ffb300}\n")
                .append(".notfound{fill:#8e7cc3}\n")
                .append(".failed{fill:#e53935;stroke:#8e0000;stroke-width:1}\n")
                .append(".announced{fill:#1e88e5}\n")
                .append(".resolved{fill:#263238}\n")
                .append(".nomatch{fill:#888888}\n")
                .append(".mark{stroke-width:1.5}\n")
                .append("</style>\n");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");

        // heading: title, summary, legend
        b.append("<text x=\"").append(MARGIN).append("\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")
                .append(text(t.title())).append("</text>\n");
        b.append("<text class=\"summary\" x=\"").append(MARGIN).append("\" y=\"42\">").append(text(summary(t)))
                .append("</text>\n");
        legend(b, 62);

        // axis: gridlines and tick labels, top and bottom
        b.append("<g class=\"axis\" data-seconds=\"").append(seconds(axis)).append("\">\n");
        for (long tick = 0; tick <= axis; tick += step) {
            double tx = x.at(tick);
            b.append("<line class=\"grid\" x1=\"").append(fmt(tx)).append("\" y1=\"").append(plotTop - 6)
                    .append("\" x2=\"").append(fmt(tx)).append("\" y2=\"").append(plotBottom).append("\"/>\n");
            b.append("<text class=\"tick\" x=\"").append(fmt(tx)).append("\" y=\"").append(plotTop - 10).append("\">")
                    .append(seconds(tick)).append(" s</text>\n");
            b.append("<text class=\"tick\" x=\"").append(fmt(tx)).append("\" y=\"").append(plotBottom + 14).append("\">")
                    .append(seconds(tick)).append(" s</text>\n");
        }
        b.append("</g>\n");

        // rows
        int row = 0;
        int stripe = 0;
        for (Group g : ordered) {
            int groupRows = 1 + g.loads().size();
            if (stripe++ % 2 == 0) {
                b.append("<rect class=\"stripe\" x=\"").append(MARGIN).append("\" y=\"").append(plotTop + row * ROW)
                        .append("\" width=\"").append(LABEL_WIDTH + PLOT_WIDTH).append("\" height=\"")
                        .append(groupRows * ROW).append("\"/>\n");
            }
            device(b, g, plotTop + row * ROW, x);
            row++;
            for (Timeline.Load l : g.loads()) {
                load(b, l, plotTop + row * ROW, x);
                row++;
            }
        }

        // markers over the rows: the process's start, the coldplug's beginning and end
        if (t.origin() == Timeline.Origin.PROCESS_START) {
            marker(b, "process-start", x.at(0), plotTop - 34, plotBottom, "process start", "#000000", false,
                    plotTop - 30);
        }
        marker(b, "coldplug-begin", x.at(t.begin()), plotTop - 48, plotBottom,
                t.origin() == Timeline.Origin.PROCESS_START ? "daemon starts" : "coldplug begins", "#1565c0", true,
                plotTop - 44);
        if (t.end() >= 0) {
            marker(b, "settled", x.at(t.end()), plotTop - 34, plotBottom, "settled", "#2e7d32", true, plotTop - 30);
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static void legend(StringBuilder b, int y) {
        String[][] items = {{"loaded", "loaded"}, {"wouldload", "would-load (dry run)"}, {"already", "already loaded"},
                {"blacklisted", "blacklisted"}, {"notfound", "not found"}, {"failed", "failed ✗"}};
        int lx = MARGIN;
        b.append("<g class=\"legend\">\n");
        for (String[] it : items) {
            b.append("<rect class=\"").append(it[0]).append("\" x=\"").append(lx).append("\" y=\"").append(y - 9)
                    .append("\" width=\"14\" height=\"10\"/>");
            b.append("<text x=\"").append(lx + 18).append("\" y=\"").append(y).append("\">").append(text(it[1]))
                    .append("</text>\n");
            lx += 26 + (int) Math.ceil(it[1].length() * 6.4);
        }
        b.append("<circle class=\"announced\" cx=\"").append(lx + 5).append("\" cy=\"").append(y - 4)
                .append("\" r=\"4\"/><text x=\"").append(lx + 14).append("\" y=\"").append(y)
                .append("\">event announced</text>\n");
        lx += 14 + (int) Math.ceil("event announced".length() * 6.4) + 12;
        b.append(triangle("resolved", lx + 5, y - 4)).append("<text x=\"").append(lx + 14).append("\" y=\"").append(y)
                .append("\">resolved (rules and index)</text>\n");
        b.append("</g>\n");
    }

    private static void device(StringBuilder b, Group g, int y, Scale x) {
        boolean matched = g.events().isEmpty() || g.events().stream().anyMatch(d -> !d.modules().isEmpty());
        b.append("<g class=\"device\" data-devpath=\"").append(attr(g.devpath())).append("\">");
        StringBuilder tip = new StringBuilder(g.devpath());
        for (Timeline.Device d : g.events()) {
            tip.append("\nMODALIAS=").append(d.modalias() == null ? "-" : d.modalias())
                    .append("\nasked: ").append(String.join(" ", d.asked()))
                    .append("\nmodules: ").append(d.modules().isEmpty() ? "none (no-match)" : String.join(" ", d.modules()))
                    .append("\nannounced at ").append(seconds(d.announced())).append(" s, resolved at ")
                    .append(seconds(d.resolved())).append(" s");
        }
        b.append("<title>").append(text(tip.toString())).append("</title>");
        b.append("<text class=\"label").append(matched ? "" : " nomatch").append("\" x=\"").append(MARGIN + 4)
                .append("\" y=\"").append(y + 13).append("\">").append(text(fit(g.devpath(), LABEL_CHARS)))
                .append("</text>");
        for (Timeline.Device d : g.events()) {
            double a = x.at(d.announced());
            double r = x.at(d.resolved());
            int cy = y + ROW / 2;
            b.append("<line x1=\"").append(fmt(a)).append("\" y1=\"").append(cy).append("\" x2=\"").append(fmt(r))
                    .append("\" y2=\"").append(cy).append("\" stroke=\"#607d8b\" stroke-width=\"1\"/>");
            b.append("<circle class=\"announced\" cx=\"").append(fmt(a)).append("\" cy=\"").append(cy)
                    .append("\" r=\"3.5\"/>");
            b.append(triangle("resolved", r, cy));
            if (d.modules().isEmpty()) {
                b.append("<text class=\"nomatch\" x=\"").append(fmt(r + 8)).append("\" y=\"").append(y + 13)
                        .append("\">no-match</text>");
            } else if (g.loads().isEmpty()) {
                // its modules' loads ran for another device (shared), or were settled already
                b.append("<text class=\"nomatch\" x=\"").append(fmt(r + 8)).append("\" y=\"").append(y + 13)
                        .append("\">").append(text(head(String.join(" ", d.modules()), 24)))
                        .append(": shared with another device's load</text>");
            }
        }
        b.append("</g>\n");
    }

    private static void load(StringBuilder b, Timeline.Load l, int y, Scale x) {
        String cls = l.word().equals("would-load") ? "wouldload" : CLASSES.get(l.status());
        double x1 = x.at(l.start());
        double x2 = Math.max(x.at(l.end()), x1 + 2);
        long took = Math.max(0, l.end() - l.start());
        b.append("<g class=\"load\" data-module=\"").append(attr(l.module())).append("\" data-status=\"")
                .append(attr(l.word())).append("\" data-devpath=\"").append(attr(l.devpath())).append("\">");
        b.append("<title>").append(text(l.module() + " for " + l.devpath() + ": " + l.word()
                + (l.detail().isEmpty() ? "" : " (" + l.detail() + ")") + ", " + seconds(l.start()) + " s to "
                + seconds(l.end()) + " s (" + duration(took) + ")")).append("</title>");
        b.append("<text class=\"label\" x=\"").append(MARGIN + 22).append("\" y=\"").append(y + 13).append("\">")
                .append(text(fit(l.module(), LABEL_CHARS - 3))).append("</text>");
        b.append("<rect class=\"bar ").append(cls).append("\" x=\"").append(fmt(x1)).append("\" y=\"").append(y + 3)
                .append("\" width=\"").append(fmt(x2 - x1)).append("\" height=\"").append(ROW - 6).append("\"/>");
        String after = l.word() + ", " + duration(took);
        if (l.status() == LoadResult.Status.FAILED) {
            b.append("<text class=\"failure\" x=\"").append(fmt(x2 + 4)).append("\" y=\"").append(y + 13)
                    .append("\" fill=\"#c62828\" font-weight=\"bold\">✗ ").append(text(after)).append("</text>");
        } else {
            b.append("<text x=\"").append(fmt(x2 + 4)).append("\" y=\"").append(y + 13).append("\" fill=\"#333333\">")
                    .append(text(after)).append("</text>");
        }
        b.append("</g>\n");
    }

    private static void marker(StringBuilder b, String cls, double at, int top, int bottom, String label, String colour,
                               boolean dashed, int labelY) {
        b.append("<g class=\"marker ").append(cls).append("\"><line x1=\"").append(fmt(at)).append("\" y1=\"")
                .append(top).append("\" x2=\"").append(fmt(at)).append("\" y2=\"").append(bottom)
                .append("\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\"")
                .append(dashed ? " stroke-dasharray=\"5,3\"" : "").append("/>");
        if (!label.isEmpty()) {
            b.append("<text x=\"").append(fmt(at + 3)).append("\" y=\"").append(labelY).append("\" fill=\"")
                    .append(colour).append("\">").append(text(label)).append("</text>");
        }
        b.append("</g>\n");
    }

    private static String triangle(String cls, double cx, double cy) {
        return "<path class=\"" + cls + "\" d=\"M" + fmt(cx) + "," + fmt(cy - 4) + " L" + fmt(cx + 4) + "," + fmt(cy + 3)
                + " L" + fmt(cx - 4) + "," + fmt(cy + 3) + " Z\"/>";
    }

    private static String summary(Timeline t) {
        Map<String, Integer> by = new LinkedHashMap<>();
        for (Timeline.Load l : t.loads()) {
            String w = l.status() == LoadResult.Status.FAILED ? "failed" : l.word();
            by.merge(w, 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        s.append(t.devices().size()).append(" device events, ").append(t.loads().size()).append(" loads");
        if (!by.isEmpty()) {
            s.append(" (");
            boolean first = true;
            for (Map.Entry<String, Integer> e : by.entrySet()) {
                s.append(first ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
                first = false;
            }
            s.append(')');
        }
        s.append(t.origin() == Timeline.Origin.PROCESS_START ? "; times from the process's start" : "; times from the coldplug's beginning");
        s.append("; coldplug began at ").append(seconds(t.begin())).append(" s");
        s.append(t.end() < 0 ? ", still running" : ", settled at " + seconds(t.end()) + " s");
        if (t.droppedDevices() > 0 || t.droppedLoads() > 0) {
            s.append("; not shown (over the bound): ").append(t.droppedDevices()).append(" events, ")
                    .append(t.droppedLoads()).append(" loads");
        }
        return s.toString();
    }

    /** Maps times (ns) to x positions. */
    private record Scale(long axis) {
        double at(long nanos) {
            double f = Math.max(0, Math.min(nanos, axis)) / (double) axis;
            return MARGIN + LABEL_WIDTH + f * PLOT_WIDTH;
        }
    }

    /**
     * A tick step (1, 2 or 5 times a power of ten milliseconds: the labels have three decimals) giving
     * at most 12 ticks up to {@code last}.
     */
    static long step(long last) {
        long p = 1_000_000L;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (last / (m * p) <= 12) {
                    return m * p;
                }
            }
            p *= 10;
        }
    }

    static String seconds(long nanos) {
        double s = nanos / 1e9;
        String v = String.format(Locale.ROOT, "%.3f", s);
        // 1.500 -> 1.5, 2.000 -> 2
        v = v.replaceAll("0+$", "");
        return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%d µs", nanos / 1000);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000L);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** {@code s} in at most {@code max} characters: its beginning, before an ellipsis, when longer. */
    static String head(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** {@code s} in at most {@code max} characters: its end, after an ellipsis, when longer. */
    static String fit(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - (max - 1));
    }

    /** Text content: XML's specials escaped, characters XML 1.0 cannot hold as {@code \xNN} (or {@code \\uNNNN}). */
    static String text(String s) {
        return escape(s, false);
    }

    /** An attribute's value (in double quotes): as {@link #text}, quotes and line ends escaped too. */
    static String attr(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean attribute) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\'' -> b.append(attribute ? "&apos;" : "'");
                case '\n' -> b.append(attribute ? "&#10;" : "&#10;");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == 0xfffe || c == 0xffff) {
                        b.append(c < 0x100 ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                                : String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
