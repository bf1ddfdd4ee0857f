package org.autoprobe.daemon.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Metric families written in the Prometheus text exposition format 0.0.4 (what node_exporter's
 * textfile collector reads), by the Prometheus client library's own writer: {@code # HELP} and
 * {@code # TYPE} lines, label values and help texts escaped, a counter's samples named
 * {@code NAME_total}, a histogram's cumulative {@code _bucket{le=...}}, {@code _sum} and
 * {@code _count}, a final newline. Names are given without {@code _total}.
 */
public final class PrometheusText {
    private final List<MetricSnapshot> families = new ArrayList<>();

    /** A counter without labels: {@code NAME_total VALUE}. */
    public PrometheusText counter(String name, String help, long value) {
        families.add(CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build());
        return this;
    }

    /** A counter with one label: one sample per entry of {@code values}, the key as the label's value. */
    public PrometheusText counter(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, k)).value(v).build()));
        families.add(b.build());
        return this;
    }

    /** A gauge without labels. */
    public PrometheusText gauge(String name, String help, double value) {
        families.add(GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build());
        return this;
    }

    /** A gauge with one label: one sample per entry of {@code values}. */
    public PrometheusText gauge(String name, String help, String label, Map<String, Double> values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of(label, k)).value(v).build()));
        families.add(b.build());
        return this;
    }

    /** A histogram in seconds. */
    public PrometheusText histogram(String name, String help, LoadHistogram.Snapshot h) {
        double[] bounds = new double[h.bounds().length + 1];
        System.arraycopy(h.bounds(), 0, bounds, 0, h.bounds().length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        families.add(HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts().clone()))
                        .sum(h.sum()).build()).build());
        return this;
    }

    /** The families in the text format, in the order given. */
    public String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build()
                    .write(out, new MetricSnapshots(families), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
