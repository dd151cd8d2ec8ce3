package io.hubgate.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencySummaryTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * MINUTE);

    private LatencySummary summary() {
        return new LatencySummary("lat", "help", LatencySummary.CHP_QUANTILES, 10 * MINUTE, 5, clock::get);
    }

    private static SummaryDataPointSnapshot point(SummarySnapshot snapshot) {
        assertThat(snapshot.getDataPoints()).hasSize(1);
        return snapshot.getDataPoints().get(0);
    }

    private static double quantile(SummaryDataPointSnapshot point, double q) {
        for (Quantile quantile : point.getQuantiles()) {
            if (quantile.getQuantile() == q) {
                return quantile.getValue();
            }
        }
        throw new AssertionError("no quantile " + q);
    }

    @Test
    void bucketsAreContiguousAndNarrow() {
        assertThat(LatencySummary.BUCKETS).isEqualTo(LatencySummary.bucketIndex(LatencySummary.MAX_NANOS) + 1);
        long expectedLower = 0;
        for (int i = 0; i < LatencySummary.BUCKETS; i++) {
            long lower = LatencySummary.bucketLowerBound(i);
            long width = LatencySummary.bucketWidth(i);
            assertThat(lower).as("bucket %d starts where the previous ended", i).isEqualTo(expectedLower);
            assertThat(LatencySummary.bucketIndex(lower)).isEqualTo(i);
            assertThat(LatencySummary.bucketIndex(lower + width - 1)).isEqualTo(i);
            if (lower >= 128) {
                assertThat((double) width / lower).as("relative width of bucket %d", i).isLessThanOrEqualTo(1 / 64.0);
            } else {
                assertThat(width).isEqualTo(1);
            }
            expectedLower = lower + width;
        }
        assertThat(expectedLower - 1).isEqualTo(LatencySummary.MAX_NANOS);
    }

    @Test
    void emptySummaryReportsZerosLikePromClient() {
        SummaryDataPointSnapshot point = point(summary().collect());

        assertThat(point.getCount()).isZero();
        assertThat(point.getSum()).isZero();
        assertThat(point.getQuantiles().size()).isEqualTo(7);
        for (Quantile quantile : point.getQuantiles()) {
            assertThat(quantile.getValue()).isZero();
        }
    }

    @Test
    void quantilesAreNearestRankWithinBucketPrecision() {
        LatencySummary summary = summary();
        long[] values = new long[1000];
        Random random = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = 1_000 + random.nextInt(5_000_000);
            summary.observeNanos(values[i]);
        }
        Arrays.sort(values);

        SummaryDataPointSnapshot point = point(summary.collect());

        assertThat(point.getCount()).isEqualTo(1000);
        assertThat(point.getSum()).isCloseTo(Arrays.stream(values).sum() / 1e9, within(1e-12));
        for (double q : LatencySummary.CHP_QUANTILES) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(quantile(point, q) * 1e9).as("q=%s", q).isCloseTo(exact, within(exact / 128.0 + 1));
        }
    }

    @Test
    void outOfRangeValuesAreClamped() {
        LatencySummary summary = summary();
        summary.observeNanos(-5);
        summary.observeNanos(Long.MAX_VALUE);

        SummaryDataPointSnapshot point = point(summary.collect());

        assertThat(point.getCount()).isEqualTo(2);
        assertThat(quantile(point, 0.01)).isZero();
        assertThat(quantile(point, 0.999) * 1e9)
                .isCloseTo(LatencySummary.MAX_NANOS, within(LatencySummary.MAX_NANOS / 64.0));
        assertThat(point.getSum()).isEqualTo(LatencySummary.MAX_NANOS / 1e9);
    }

    @Test
    void quantilesForgetOldObservationsButCountAndSumDoNot() {
        LatencySummary summary = summary();
        summary.observeNanos(100); // old, fast
        summary.collect(); // scrape at t0 remembers the histogram

        clock.addAndGet(3 * MINUTE);
        summary.observeNanos(50); // t0+3m
        SummaryDataPointSnapshot early = point(summary.collect());
        // Window starts at the scrape at t0: only the 50 ns observation is in it.
        assertThat(quantile(early, 0.5)).isEqualTo(5e-8);
        assertThat(early.getCount()).isEqualTo(2);

        clock.addAndGet(8 * MINUTE); // t0+11m: the t0 histogram is now older than 10 minutes
        summary.observeNanos(70);
        SummaryDataPointSnapshot later = point(summary.collect());
        // Window starts at the scrape at t0+3m, so 100 and 50 are gone.
        assertThat(quantile(later, 0.01)).isEqualTo(7e-8);
        assertThat(quantile(later, 0.999)).isEqualTo(7e-8);
        assertThat(later.getCount()).isEqualTo(3);
        assertThat(later.getSum()).isEqualTo(220 / 1e9);

        clock.addAndGet(30 * MINUTE); // a long pause between scrapes: the window is "since the last scrape"
        SummaryDataPointSnapshot idle = point(summary.collect());
        assertThat(quantile(idle, 0.5)).isZero();
        assertThat(idle.getCount()).isEqualTo(3);
    }

    @Test
    void rememberedHistogramsStayBounded() throws Exception {
        LatencySummary summary = summary();
        for (int i = 0; i < 1000; i++) {
            summary.observeNanos(i);
            summary.collect();
            clock.addAndGet(MINUTE / 7);
        }
        var field = LatencySummary.class.getDeclaredField("remembered");
        field.setAccessible(true);
        // At most one per 2-minute rotation within the 10-minute window.
        assertThat(((java.util.Collection<?>) field.get(summary)).size()).isBetween(1, 5);
    }

    @Test
    void concurrentObservationsAreAllCounted() throws Exception {
        LatencySummary summary = summary();
        int threads = 4;
        int perThread = 200_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    summary.observeNanos(1_000);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.isAlive()).isFalse();
        }

        SummaryDataPointSnapshot point = point(summary.collect());

        assertThat(point.getCount()).isEqualTo((long) threads * perThread);
        assertThat(point.getSum()).isCloseTo(threads * perThread * 1_000 / 1e9, within(1e-9));
        assertThat(quantile(point, 0.5) * 1e9).isEqualTo(1003.5);
    }

    @Test
    void describesItselfToTheRegistry() {
        LatencySummary summary = summary();
        assertThat(summary.getMetricFamilyDescriptor().getPrometheusName()).isEqualTo("lat");
        assertThat(summary.getMetricFamilyDescriptor().getType()).isEqualTo(MetricType.SUMMARY);
        assertThat(summary.collect().getMetadata().getHelp()).isEqualTo("help");

        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(summary);
        assertThatThrownBy(() -> registry.register(summary())).isInstanceOf(IllegalArgumentException.class);
    }
}
