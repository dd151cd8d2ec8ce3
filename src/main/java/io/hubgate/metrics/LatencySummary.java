package io.hubgate.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A Prometheus summary of durations that is cheap to record into.
 *
 * <p>Why not the library's {@code Summary}: in prometheus-metrics-core 1.9.0 every {@code observe} inserts
 * the value into each of the sliding window's CKMS estimators under a lock; measured on this project's
 * 2-core machine that is about 0.8&nbsp;µs per call on one thread and 1.8&nbsp;µs with two threads, far
 * too much for a per-request call. Here {@link #observeNanos} only increments two counters in a
 * per-thread stripe of a log-linear histogram (no lock, no allocation; measured 11&nbsp;ns on one thread and
 * 25&ndash;40&nbsp;ns with two on the same busy machine, see {@code ObserveCostProbe}); quantiles are computed
 * when Prometheus scrapes, and handed to the writer as an ordinary {@link SummarySnapshot}.
 *
 * <p>Accuracy: buckets are exact below 128&nbsp;ns and 1/64 of a power of two wide above that, so a reported
 * quantile (the bucket's midpoint) is within 0.8&nbsp;% of a value that was really observed at that rank.
 * Durations above {@link #MAX_NANOS} (about 275&nbsp;s) are counted as that maximum.
 *
 * <p>Window: like the Java client's Summary defaults (10 minutes, 5 age buckets), quantiles describe
 * roughly the last {@code maxAge}: each scrape remembers the cumulative histogram at most every
 * {@code maxAge / ageBuckets}, and quantiles are taken over the difference to the oldest remembered one
 * younger than {@code maxAge}. {@code _count} and {@code _sum} are cumulative since start, as in both
 * prom-client and the Java client. prom-client (CHP) keeps quantiles over all time instead; an empty
 * window reports 0 for each quantile, as prom-client does for an empty summary.
 */
final class LatencySummary implements Collector {

    /** The quantiles CHP (prom-client's default) reports. */
    static final double[] CHP_QUANTILES = {0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999};

    /** Largest duration kept apart; anything longer lands in the last bucket. */
    static final long MAX_NANOS = (1L << 38) - 1;

    // Log-linear layout: values below 2*SUB each have their own bucket; above, each power of two
    // [2^e, 2^(e+1)) is split into SUB equal buckets. Index = (shift << SUB_BITS) + (v >>> shift).
    private static final int SUB_BITS = 6;
    private static final int SUB = 1 << SUB_BITS;
    static final int BUCKETS = bucketIndex(MAX_NANOS) + 1;
    /** One extra slot per stripe holds the stripe's sum of nanoseconds. */
    private static final int SUM_SLOT = BUCKETS;

    private final MetricMetadata metadata;
    private final double[] quantiles;
    private final long maxAgeNanos;
    private final long rotateEveryNanos;
    private final LongSupplier nanoClock;

    /** One histogram per stripe; a thread always writes to the same stripe, so two event loops don't share. */
    private final AtomicLongArray[] stripes;
    private final int stripeMask;

    // Scrape-side state, guarded by 'this'.
    private final ArrayDeque<Remembered> remembered = new ArrayDeque<>();

    private record Remembered(long atNanos, long[] counts) { }

    LatencySummary(String name, String help, double[] quantiles, long maxAgeNanos, int ageBuckets,
                   LongSupplier nanoClock) {
        if (ageBuckets < 1 || maxAgeNanos <= 0) {
            throw new IllegalArgumentException("maxAge and ageBuckets must be positive");
        }
        this.metadata = new MetricMetadata(name, help);
        this.quantiles = quantiles.clone();
        Arrays.sort(this.quantiles);
        this.maxAgeNanos = maxAgeNanos;
        this.rotateEveryNanos = maxAgeNanos / ageBuckets;
        this.nanoClock = nanoClock;
        // Twice as many stripes as cores (a power of two), so event-loop threads rarely share one.
        int n = Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1));
        this.stripes = new AtomicLongArray[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new AtomicLongArray(BUCKETS + 1);
        }
        this.stripeMask = n - 1;
    }

    /** Records one duration. Negative values (clock oddities) count as zero. */
    void observeNanos(long nanos) {
        long v = nanos < 0 ? 0 : Math.min(nanos, MAX_NANOS);
        long id = Thread.currentThread().getId(); // threadId() from Java 19 on
        AtomicLongArray stripe = stripes[(int) id & stripeMask];
        stripe.getAndIncrement(bucketIndex(v));
        stripe.getAndAdd(SUM_SLOT, v);
    }

    static int bucketIndex(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int shift = (63 - Long.numberOfLeadingZeros(v)) - SUB_BITS;
        return (shift << SUB_BITS) + (int) (v >>> shift);
    }

    /** Smallest value that falls in bucket {@code index}. */
    static long bucketLowerBound(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = (index >>> SUB_BITS) - 1;
        long sub = index - ((long) shift << SUB_BITS);
        return sub << shift;
    }

    static long bucketWidth(int index) {
        return index < 2 * SUB ? 1 : 1L << ((index >>> SUB_BITS) - 1);
    }

    /** The value reported for a bucket: the middle of the integers it holds. */
    static double bucketMidpoint(int index) {
        return bucketLowerBound(index) + (bucketWidth(index) - 1) / 2.0;
    }

    /** Lets the registry reject a second metric of the same name at registration. */
    @Override
    public MetricFamilyDescriptor getMetricFamilyDescriptor() {
        return MetricFamilyDescriptor.of(MetricType.SUMMARY, metadata);
    }

    @Override
    public synchronized SummarySnapshot collect() {
        long now = nanoClock.getAsLong();
        long[] cumulative = new long[BUCKETS];
        long sumNanos = 0;
        for (AtomicLongArray stripe : stripes) {
            for (int i = 0; i < BUCKETS; i++) {
                cumulative[i] += stripe.get(i);
            }
            sumNanos += stripe.get(SUM_SLOT);
        }
        long count = 0;
        for (long c : cumulative) {
            count += c;
        }

        // Forget remembered histograms that can no longer be the window's start: one older than maxAge
        // is only useful while nothing younger exists (scrapes further apart than maxAge).
        while (remembered.size() >= 2 && now - remembered.peekFirst().atNanos() > maxAgeNanos) {
            remembered.pollFirst();
        }
        long[] base = remembered.isEmpty() ? null : remembered.peekFirst().counts();
        long[] window = new long[BUCKETS];
        long windowCount = 0;
        for (int i = 0; i < BUCKETS; i++) {
            window[i] = base == null ? cumulative[i] : cumulative[i] - base[i];
            windowCount += window[i];
        }
        if (remembered.isEmpty() || now - remembered.peekLast().atNanos() >= rotateEveryNanos) {
            remembered.addLast(new Remembered(now, cumulative));
        }

        SummaryDataPointSnapshot point = SummaryDataPointSnapshot.builder()
                .quantiles(quantilesOf(window, windowCount))
                .count(count)
                .sum(sumNanos / 1e9)
                .build();
        return new SummarySnapshot(metadata, List.of(point));
    }

    private Quantiles quantilesOf(long[] window, long total) {
        List<Quantile> out = new ArrayList<>(quantiles.length);
        int bucket = 0;
        long seen = 0;
        for (double q : quantiles) {
            if (total == 0) {
                out.add(new Quantile(q, 0));
                continue;
            }
            // Nearest-rank: the smallest value with at least q*total observations at or below it.
            long rank = Math.max(1, (long) Math.ceil(q * total - 1e-9));
            while (seen + window[bucket] < rank) {
                seen += window[bucket];
                bucket++;
            }
            out.add(new Quantile(q, bucketMidpoint(bucket) / 1e9));
        }
        return Quantiles.of(out);
    }
}
