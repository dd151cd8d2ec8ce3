package io.hubgate.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes metric snapshots in Prometheus text format 0.0.4 the way CHP (prom-client) does.
 *
 * <p>Why not the library's {@code PrometheusTextFormatWriter}: it always appends {@code _total} to counter
 * names and prints integers as {@code 1.0}, so CHP's {@code requests_web 3} would become
 * {@code requests_web_total 3.0} and break existing dashboards (decision Q21, java-stack §3.3).
 *
 * <p>What this writer does:
 * <ul>
 *   <li>CHP's counters keep their bare names; every other counter (JVM, process, Hubgate's own) gets
 *       {@code _total}, as the Prometheus convention and prom-client's own process metrics have it.
 *       {@link #withTotalSuffixOnAllCounters()} gives {@code _total} to CHP's counters too.</li>
 *   <li>Numbers look like JavaScript's: {@code 3}, {@code 0.000112}, {@code 1.5e-7}, {@code NaN},
 *       {@code +Inf}.</li>
 *   <li>Each family is {@code # HELP}, {@code # TYPE} and its samples, families separated by an empty line;
 *       a family without samples (a labelled counter never incremented) still gets its two comment lines.
 *       Summaries print their quantiles, then {@code _sum}, then {@code _count}.</li>
 *   <li>Order: the snapshots' own order for everything else, then CHP's nine metrics in CHP's order,
 *       so the tail of the output reads like CHP's.</li>
 * </ul>
 * Info metrics are written as gauges named {@code <name>_info}, state sets as gauges with one sample per
 * state, histograms with their classic buckets. Timestamps, created-times and exemplars are not written.
 * Instances are immutable and thread-safe.
 */
public final class ChpTextFormatWriter {

    /** The content type CHP answers {@code /metrics} with. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Set<String> countersWithoutTotal;

    /** CHP-compatible names: CHP's counters without {@code _total}. */
    public ChpTextFormatWriter() {
        this(ChpMetricNames.COUNTERS);
    }

    private ChpTextFormatWriter(Set<String> countersWithoutTotal) {
        this.countersWithoutTotal = countersWithoutTotal;
    }

    /** A writer that names every counter {@code <name>_total}, CHP's included (OpenMetrics style). */
    public static ChpTextFormatWriter withTotalSuffixOnAllCounters() {
        return new ChpTextFormatWriter(Set.of());
    }

    /** The text for {@code snapshots}. */
    public String toText(MetricSnapshots snapshots) {
        StringBuilder out = new StringBuilder(16 * 1024);
        write(out, snapshots);
        return out.toString();
    }

    /** Appends the text for {@code snapshots} to {@code out}. */
    public void write(StringBuilder out, MetricSnapshots snapshots) {
        List<MetricSnapshot> ordered = new ArrayList<>(snapshots.size());
        Map<String, MetricSnapshot> chp = new HashMap<>();
        for (MetricSnapshot snapshot : snapshots) {
            String name = snapshot.getMetadata().getPrometheusName();
            if (ChpMetricNames.EXPOSITION_ORDER.contains(name)) {
                chp.put(name, snapshot);
            } else {
                ordered.add(snapshot);
            }
        }
        for (String name : ChpMetricNames.EXPOSITION_ORDER) {
            MetricSnapshot snapshot = chp.get(name);
            if (snapshot != null) {
                ordered.add(snapshot);
            }
        }

        boolean first = true;
        for (MetricSnapshot snapshot : ordered) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            writeFamily(out, snapshot);
        }
    }

    private void writeFamily(StringBuilder out, MetricSnapshot snapshot) {
        String baseName = snapshot.getMetadata().getPrometheusName();
        if (snapshot instanceof CounterSnapshot counter) {
            String name = countersWithoutTotal.contains(baseName) ? baseName : baseName + "_total";
            writeHeader(out, name, snapshot, "counter");
            for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
                writeSample(out, name, point.getLabels(), null, null, point.getValue());
            }
        } else if (snapshot instanceof GaugeSnapshot gauge) {
            writeHeader(out, baseName, snapshot, "gauge");
            for (GaugeSnapshot.GaugeDataPointSnapshot point : gauge.getDataPoints()) {
                writeSample(out, baseName, point.getLabels(), null, null, point.getValue());
            }
        } else if (snapshot instanceof SummarySnapshot summary) {
            writeHeader(out, baseName, snapshot, "summary");
            for (SummarySnapshot.SummaryDataPointSnapshot point : summary.getDataPoints()) {
                for (Quantile quantile : point.getQuantiles()) {
                    writeSample(out, baseName, point.getLabels(), "quantile",
                            formatNumber(quantile.getQuantile()), quantile.getValue());
                }
                if (point.hasSum()) {
                    writeSample(out, baseName + "_sum", point.getLabels(), null, null, point.getSum());
                }
                if (point.hasCount()) {
                    writeSample(out, baseName + "_count", point.getLabels(), null, null, point.getCount());
                }
            }
        } else if (snapshot instanceof HistogramSnapshot histogram) {
            writeHeader(out, baseName, snapshot, "histogram");
            for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.getDataPoints()) {
                writeHistogramPoint(out, baseName, point);
            }
        } else if (snapshot instanceof InfoSnapshot info) {
            String name = baseName + "_info";
            writeHeader(out, name, snapshot, "gauge");
            for (InfoSnapshot.InfoDataPointSnapshot point : info.getDataPoints()) {
                writeSample(out, name, point.getLabels(), null, null, 1);
            }
        } else if (snapshot instanceof StateSetSnapshot stateSet) {
            writeHeader(out, baseName, snapshot, "gauge");
            for (StateSetSnapshot.StateSetDataPointSnapshot point : stateSet.getDataPoints()) {
                for (int i = 0; i < point.size(); i++) {
                    writeSample(out, baseName, point.getLabels(), baseName, point.getName(i),
                            point.isTrue(i) ? 1 : 0);
                }
            }
        } else if (snapshot instanceof UnknownSnapshot unknown) {
            writeHeader(out, baseName, snapshot, "untyped");
            for (UnknownSnapshot.UnknownDataPointSnapshot point : unknown.getDataPoints()) {
                writeSample(out, baseName, point.getLabels(), null, null, point.getValue());
            }
        } else {
            // A snapshot type newer than this writer: keep the family visible, without samples.
            writeHeader(out, baseName, snapshot, "untyped");
        }
    }

    private static void writeHistogramPoint(StringBuilder out, String name,
                                            HistogramSnapshot.HistogramDataPointSnapshot point) {
        ClassicHistogramBuckets buckets = point.getClassicBuckets();
        long cumulative = 0;
        if (buckets.isEmpty()) {
            // Native-only histogram: the count is all text format 0.0.4 can say about its buckets.
            cumulative = point.hasCount() ? point.getCount() : 0;
            writeSample(out, name + "_bucket", point.getLabels(), "le", "+Inf", cumulative);
        } else {
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                writeSample(out, name + "_bucket", point.getLabels(), "le",
                        formatNumber(buckets.getUpperBound(i)), cumulative);
            }
        }
        if (point.hasSum()) {
            writeSample(out, name + "_sum", point.getLabels(), null, null, point.getSum());
        }
        writeSample(out, name + "_count", point.getLabels(), null, null,
                point.hasCount() ? point.getCount() : cumulative);
    }

    private static void writeHeader(StringBuilder out, String name, MetricSnapshot snapshot, String type) {
        String help = snapshot.getMetadata().getHelp();
        if (help != null) {
            out.append("# HELP ").append(name).append(' ');
            appendEscapedHelp(out, help);
            out.append('\n');
        }
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample line; {@code extraName}/{@code extraValue} is a label after the point's own (le, quantile). */
    private static void writeSample(StringBuilder out, String name, Labels labels,
                                    String extraName, String extraValue, double value) {
        out.append(name);
        if (!labels.isEmpty() || extraName != null) {
            out.append('{');
            boolean first = true;
            for (int i = 0; i < labels.size(); i++) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                appendLabel(out, labels.getPrometheusName(i), labels.getValue(i));
            }
            if (extraName != null) {
                if (!first) {
                    out.append(',');
                }
                appendLabel(out, extraName, extraValue);
            }
            out.append('}');
        }
        out.append(' ').append(formatNumber(value)).append('\n');
    }

    private static void appendLabel(StringBuilder out, String name, String value) {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    private static void appendEscapedHelp(StringBuilder out, String help) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /**
     * Formats a sample value as JavaScript's {@code Number#toString} does (what prom-client prints):
     * integers without a fraction, plain decimals from 1e-6 up to 1e21, exponent form ({@code 1.5e-7})
     * outside that range. Java 17's {@code Double.toString} picks the digits; in rare cases it keeps one
     * digit more than JavaScript would, which still reads back as the same double.
     */
    static String formatNumber(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value); // also turns -0.0 into "0", as JavaScript does
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-6 && magnitude < 1e21) {
            return decimal.toPlainString();
        }
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (value < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent >= 0 ? "+" : "-").append(Math.abs(exponent));
        return out.toString();
    }
}
