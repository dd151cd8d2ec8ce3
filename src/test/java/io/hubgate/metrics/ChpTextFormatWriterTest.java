package io.hubgate.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ChpTextFormatWriterTest {

    private static final String HUBGATE_GAUGES = """
            # HELP hubgate_client_connections Number of open client connections on the public port
            # TYPE hubgate_client_connections gauge
            hubgate_client_connections 2

            # HELP hubgate_websockets_open Number of established websocket connections being proxied
            # TYPE hubgate_websockets_open gauge
            hubgate_websockets_open 0

            """;

    private final ChpTextFormatWriter writer = new ChpTextFormatWriter();

    /** The call sequence behind chp-metrics-golden.txt; durations chosen so the expected text can be worked out by hand. */
    private static void recordKnownSequence(PrometheusProxyMetrics metrics) {
        metrics.requestWeb();
        metrics.requestWeb();
        metrics.requestWeb();
        metrics.requestWs();
        metrics.requestProxy(404);
        metrics.requestProxy(503);
        metrics.requestProxy(404);
        metrics.requestProxy(200);
        metrics.requestApi(200);
        metrics.requestApi(201);
        metrics.requestApi(200);
        metrics.apiRouteGet();
        metrics.apiRouteAdd();
        metrics.apiRouteAdd();
        // Below 128 ns buckets are exact: 100 ns -> 1e-7 s, 120 ns -> 1.2e-7 s.
        metrics.findTargetForReq(100);
        metrics.findTargetForReq(120);
        metrics.findTargetForReq(1_000);
        // 20000 ns lies in [19968, 20224) (width 256): reported as its midpoint 20095.5 ns.
        metrics.findTargetForReq(20_000);
        // 2611283 ns lies in [2588672, 2621440) (width 32768): midpoint 2605055.5 ns; _sum stays exact.
        metrics.lastActivityUpdating(2_611_283);
        metrics.clientConnectionOpened();
        metrics.clientConnectionOpened();
        metrics.clientConnectionOpened();
        metrics.clientConnectionClosed();
        metrics.websocketOpened();
        metrics.websocketClosed();
    }

    @Test
    void knownSequenceGivesTheGoldenText() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(registry, false, new AtomicLong()::get);
        recordKnownSequence(metrics);

        String text = writer.toText(registry.scrape());

        assertThat(text).isEqualTo(HUBGATE_GAUGES + resource("chp-metrics-golden.txt"));
    }

    @Test
    void withJvmMetricsTheChpPartComesLastAndIsUnchanged() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(registry, true, new AtomicLong()::get);
        recordKnownSequence(metrics);

        String text = writer.toText(registry.scrape());

        assertThat(text).endsWith("\n\n" + resource("chp-metrics-golden.txt"));
        assertThat(text).contains("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ");
        assertThat(text).contains("# TYPE jvm_classes_loaded_total counter\n");
        assertThat(text).containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\} [0-9]+$");
        assertThat(text).containsPattern("(?m)^jvm_runtime_info\\{.*version=\".+\".*\\} 1$");
        assertThat(text).contains("# TYPE hubgate_client_connections gauge\nhubgate_client_connections 2\n");
        assertThat(text).doesNotContain("requests_web_total", ".0\n");
    }

    /** chp-fresh-metrics.txt is the tail of what CHP 5.3 (prom-client 15) served right after start. */
    @Test
    void freshMetricsMatchWhatChpServesAfterStart() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        new PrometheusProxyMetrics(registry, false);

        String text = writer.toText(registry.scrape());

        assertThat(text).endsWith("\n\n" + resource("chp-fresh-metrics.txt"));
    }

    @Test
    void totalSuffixOnAllCountersWhenAsked() {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(registry, false);
        metrics.requestWeb();
        metrics.requestProxy(502);

        String text = ChpTextFormatWriter.withTotalSuffixOnAllCounters().toText(registry.scrape());

        assertThat(text).contains("# HELP requests_web_total Count of web requests\n"
                + "# TYPE requests_web_total counter\nrequests_web_total 1\n");
        assertThat(text).contains("requests_proxy_total{status=\"502\"} 1\n");
        assertThat(text).containsPattern("(?m)^find_target_for_req_count 0$");
    }

    @Test
    void otherCountersGetTotalAndLabelsAndHelpAreEscaped() {
        CounterSnapshot counter = CounterSnapshot.builder()
                .name("hubgate_things")
                .help("Line one\nback\\slash \"quoted\"")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("path", "a\"b\\c\nd", "code", "x"))
                        .value(2.5)
                        .build())
                .build();

        String text = writer.toText(MetricSnapshots.of(counter));

        assertThat(text).isEqualTo("""
                # HELP hubgate_things_total Line one\\nback\\\\slash "quoted"
                # TYPE hubgate_things_total counter
                hubgate_things_total{code="x",path="a\\"b\\\\c\\nd"} 2.5
                """);
    }

    @Test
    void gaugeInfoStateSetHistogramAndUnknown() {
        GaugeSnapshot gauge = GaugeSnapshot.builder().name("g").help("a gauge")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(-0.5).build())
                .build();
        InfoSnapshot info = InfoSnapshot.builder().name("build").help("build info")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", "1.2")).build())
                .build();
        StateSetSnapshot stateSet = StateSetSnapshot.builder().name("mode").help("mode")
                .dataPoint(StateSetSnapshot.StateSetDataPointSnapshot.builder()
                        .state("a", true).state("b", false).build())
                .build();
        HistogramSnapshot histogram = HistogramSnapshot.builder().name("h").help("hist")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(
                                new double[]{0.005, 1, Double.POSITIVE_INFINITY}, new long[]{1, 2, 3}))
                        .sum(10.25)
                        .build())
                .build();
        UnknownSnapshot unknown = UnknownSnapshot.builder().name("u")
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(Double.NaN).build())
                .build();

        String text = writer.toText(new MetricSnapshots(List.of(gauge, info, stateSet, histogram, unknown)));

        // MetricSnapshots sorts families by name; the writer keeps that order.
        assertThat(text).isEqualTo("""
                # HELP build_info build info
                # TYPE build_info gauge
                build_info{version="1.2"} 1

                # HELP g a gauge
                # TYPE g gauge
                g -0.5

                # HELP h hist
                # TYPE h histogram
                h_bucket{le="0.005"} 1
                h_bucket{le="1"} 3
                h_bucket{le="+Inf"} 6
                h_sum 10.25
                h_count 6

                # HELP mode mode
                # TYPE mode gauge
                mode{mode="a"} 1
                mode{mode="b"} 0

                # TYPE u untyped
                u NaN
                """);
    }

    @Test
    void numbersAreFormattedLikeJavaScript() {
        // Expected strings are what node's Number#toString printed for the same doubles.
        Object[][] cases = {
                {0.0, "0"}, {-0.0, "0"}, {1.0, "1"}, {3.0, "3"}, {-2.0, "-2"}, {1.5, "1.5"}, {0.1, "0.1"},
                {0.000112, "0.000112"}, {1e-6, "0.000001"}, {1.0035e-6, "0.0000010035"}, {9.99e-7, "9.99e-7"},
                {1.5e-7, "1.5e-7"}, {1e-7, "1e-7"}, {123456789.123, "123456789.123"},
                {1e15, "1000000000000000"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"},
                {Double.MAX_VALUE, "1.7976931348623157e+308"}, {2.5e15, "2500000000000000"},
                {0.00011268, "0.00011268"}, {1003.5 / 1e9, "0.0000010035"}, {20095.5 / 1e9, "0.0000200955"},
                {21220 / 1e9, "0.00002122"}, {2605055.5 / 1e9, "0.0026050555"}, {1.0 / 3, "0.3333333333333333"},
                {2.0 / 3, "0.6666666666666666"}, {1e16 + 2, "10000000000000002"}, {123.456e-10, "1.23456e-8"},
                {0.1 + 0.2, "0.30000000000000004"},
                {Double.NaN, "NaN"}, {Double.POSITIVE_INFINITY, "+Inf"}, {Double.NEGATIVE_INFINITY, "-Inf"},
        };
        for (Object[] c : cases) {
            assertThat(ChpTextFormatWriter.formatNumber((Double) c[0])).as("format %s", c[0]).isEqualTo(c[1]);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ChpTextFormatWriterTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
