package org.autoprobe.daemon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus text format read by the Prometheus project's own parser (the Python client's
 * {@code prometheus_client.parser}: Debian's python3-prometheus-client, which ./run-tests installs),
 * run as a child process. Stricter than the parser alone: every sample must belong to a family with a
 * {@code # TYPE} line (the parser makes an {@code unknown} family of one without), and the text
 * must end with a newline.
 */
public final class PrometheusParser {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join("\n",
            "import sys",
            "try:",
            "    from prometheus_client.parser import text_string_to_metric_families",
            "except ImportError:",
            "    print('NO-PARSER'); sys.exit(3)",
            "def esc(s):",
            "    return s.replace('\\\\', '\\\\\\\\').replace('\\n', '\\\\n').replace('\\t', '\\\\t')",
            "text = sys.stdin.read()",
            "if not text.endswith('\\n'):",
            "    print('no final newline'); sys.exit(1)",
            "try:",
            "    fams = list(text_string_to_metric_families(text))",
            "except Exception as e:",
            "    print('rejected: %s: %s' % (type(e).__name__, e)); sys.exit(1)",
            "for f in fams:",
            "    if f.type == 'unknown':",
            "        print('sample without TYPE: %s' % f.name); sys.exit(1)",
            "    print('F\\t%s\\t%s\\t%s' % (f.name, f.type, esc(f.documentation)))",
            "    for s in f.samples:",
            "        labels = ','.join('%s=%s' % (k, esc(v)) for k, v in sorted(s.labels.items()))",
            "        print('S\\t%s\\t%s\\t%r' % (s.name, labels, s.value))",
            "");

    /** A family as the parser read it; samples by {@code name{k=v,...}} (labels sorted; {@code name} alone without). */
    public record Family(String name, String type, String help, Map<String, Double> samples) {
    }

    /** The text's families, by name (a counter's without {@code _total}). */
    public record Parsed(Map<String, Family> families) {
        public double value(String sample) {
            for (Family f : families.values()) {
                Double v = f.samples().get(sample);
                if (v != null) {
                    return v;
                }
            }
            throw new AssertionError("no sample " + sample + " in " + families.keySet());
        }
    }

    /** Thrown when the parser rejects the text. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    private PrometheusParser() {
    }

    public static Parsed parse(String text) throws Rejected, IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", SCRIPT).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the parser did not end");
        }
        if (p.exitValue() == 3 && out.startsWith("NO-PARSER")) {
            throw new AssertionError("Prometheus's text parser is missing: apt-get install python3-prometheus-client "
                    + "(./run-tests installs it)");
        }
        if (p.exitValue() != 0) {
            throw new Rejected(out.strip());
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Family current = null;
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f[0].equals("F")) {
                current = new Family(f[1], f[2], unescape(f[3]), new LinkedHashMap<>());
                families.put(f[1], current);
            } else if (f[0].equals("S") && current != null) {
                current.samples().put(f[2].isEmpty() ? f[1] : f[1] + "{" + unescape(f[2]) + "}", Double.valueOf(f[3]
                        .replace("inf", "Infinity")));
            } else {
                throw new IOException("unexpected parser output: " + line);
            }
        }
        return new Parsed(families);
    }

    /** Undoes the script's escaping of backslashes, newlines and tabs. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The names of the families in {@code text}'s {@code # TYPE} lines, in order. */
    public static List<String> typeLines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.startsWith("# TYPE ")) {
                out.add(l.substring(7));
            }
        }
        return out;
    }
}
