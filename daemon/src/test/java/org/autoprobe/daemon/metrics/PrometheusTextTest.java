package org.autoprobe.daemon.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoprobe.daemon.testing.PrometheusParser;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static String sample() {
        LoadHistogram h = new LoadHistogram();
        h.observe(5_000_000L);      // 5 ms: first bucket
        h.observe(10_000_000L);     // exactly 10 ms: still the first (le is inclusive)
        h.observe(700_000_000L);    // 0.7 s
        h.observe(45_000_000_000L); // 45 s: only +Inf
        Map<String, Long> reasons = new LinkedHashMap<>();
        reasons.put("blacklisted", 2L);
        reasons.put("failed:ENODEV", 1L);
        reasons.put("odd \"quoted\" \\ back\nslash", 7L);
        return new PrometheusText()
                .counter("autoprobe_events", "Uevents, by origin.", "origin", Map.of("kernel", 3L))
                .counter("autoprobe_resyncs", "Help with a back\\slash and a\nnewline.", 4)
                .counter("autoprobe_decisions", "Decisions by reason.", "reason", reasons)
                .gauge("autoprobe_ready", "Ready.", 1)
                .histogram("autoprobe_load_duration_seconds", "Load times.", h.snapshot())
                .render();
    }

    @Test
    void prometheusOwnParserReadsItAsWritten() throws Exception {
        String text = sample();
        assertTrue(text.endsWith("\n"), "a final newline");
        PrometheusParser.Parsed p = PrometheusParser.parse(text);
        assertEquals("counter", p.families().get("autoprobe_events").type());
        assertEquals(3.0, p.value("autoprobe_events_total{origin=kernel}"));
        assertEquals(4.0, p.value("autoprobe_resyncs_total"));
        assertEquals("Help with a back\\slash and a\nnewline.", p.families().get("autoprobe_resyncs").help(),
                "the help text's backslash and newline came through");
        assertEquals(2.0, p.value("autoprobe_decisions_total{reason=blacklisted}"));
        assertEquals(1.0, p.value("autoprobe_decisions_total{reason=failed:ENODEV}"));
        assertEquals("gauge", p.families().get("autoprobe_ready").type());
        PrometheusParser.Family h = p.families().get("autoprobe_load_duration_seconds");
        assertEquals("histogram", h.type());
        assertEquals(2.0, p.value("autoprobe_load_duration_seconds_bucket{le=0.01}"));
        assertEquals(2.0, p.value("autoprobe_load_duration_seconds_bucket{le=0.5}"));
        assertEquals(3.0, p.value("autoprobe_load_duration_seconds_bucket{le=1.0}"));
        assertEquals(3.0, p.value("autoprobe_load_duration_seconds_bucket{le=30.0}"));
        assertEquals(4.0, p.value("autoprobe_load_duration_seconds_bucket{le=+Inf}"));
        assertEquals(4.0, p.value("autoprobe_load_duration_seconds_count"));
        assertEquals(45.715, p.value("autoprobe_load_duration_seconds_sum"), 1e-9);
        // 12 buckets, cumulative
        double before = -1;
        int buckets = 0;
        for (Map.Entry<String, Double> e : h.samples().entrySet()) {
            if (e.getKey().contains("_bucket")) {
                assertTrue(e.getValue() >= before, e.toString());
                before = e.getValue();
                buckets++;
            }
        }
        assertEquals(LoadHistogram.BOUNDS.length + 1, buckets);
        assertEquals(List.of("autoprobe_decisions_total counter", "autoprobe_events_total counter",
                "autoprobe_load_duration_seconds histogram", "autoprobe_ready gauge", "autoprobe_resyncs_total counter"),
                PrometheusParser.typeLines(text).stream().sorted().toList());
    }

    @Test
    void labelValuesWithQuotesBackslashesAndNewlinesAreEscaped() throws Exception {
        String text = sample();
        assertTrue(text.contains("reason=\"odd \\\"quoted\\\" \\\\ back\\nslash\""), text);
        PrometheusParser.Parsed p = PrometheusParser.parse(text);
        assertEquals(7.0, p.value("autoprobe_decisions_total{reason=odd \"quoted\" \\ back\nslash}"));
    }

    @Test
    void theParserRejectsBrokenText() throws Exception {
        String text = sample();
        // the same text broken by hand, each way: a label value's closing quote gone, a value that is
        // no number, a sample without its TYPE line, no final newline
        String unquoted = text.replace("origin=\"kernel\"", "origin=\"kernel");
        String notANumber = text.replace("autoprobe_resyncs_total 4.0", "autoprobe_resyncs_total four");
        String untyped = text + "autoprobe_stray 1\n";
        String unended = text.substring(0, text.length() - 1);
        for (String broken : List.of(unquoted, notANumber, untyped, unended)) {
            assertTrue(!broken.equals(text), "the sample was changed");
            assertThrows(PrometheusParser.Rejected.class, () -> PrometheusParser.parse(broken), broken);
        }
    }
}
