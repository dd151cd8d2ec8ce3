package io.hubgate.metrics;

import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Not a test: a rough probe of hot-path cost, run by hand when choosing how to record
 * ({@code java -cp target/classes:target/test-classes:<deps> io.hubgate.metrics.ObserveCostProbe}).
 * Prints nanoseconds per call per thread, with one and with two threads calling at once.
 * Bounded: a fixed number of calls per round, three rounds.
 */
public final class ObserveCostProbe {

    private static final int CALLS = 2_000_000;

    public static void main(String[] args) throws Exception {
        Summary librarySummary = Summary.builder().name("library_summary")
                .quantile(0.01).quantile(0.05).quantile(0.5).quantile(0.9)
                .quantile(0.95).quantile(0.99).quantile(0.999)
                .withoutExemplars()
                .register(new PrometheusRegistry());
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(new PrometheusRegistry(), false);

        for (int round = 1; round <= 3; round++) {
            System.out.println("round " + round);
            for (int threads = 1; threads <= 2; threads++) {
                report("library Summary.observe", threads,
                        i -> librarySummary.observe((1_000 + (i & 4095)) / 1e9));
                report("findTargetForReq (LatencySummary)", threads,
                        i -> metrics.findTargetForReq(1_000 + (i & 4095)));
                report("requestWeb", threads, i -> metrics.requestWeb());
                report("requestProxy(200|404)", threads, i -> metrics.requestProxy((i & 1) == 0 ? 200 : 404));
            }
        }
        // Keep the results observable so nothing above is dead code.
        System.out.println(metrics.registry().scrape().size() + " families");
    }

    private static void report(String what, int threads, IntConsumer call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        long[] elapsed = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long begin = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    call.accept(i);
                }
                elapsed[index] = System.nanoTime() - begin;
            });
            workers[t].start();
        }
        long worst = 0;
        for (int t = 0; t < threads; t++) {
            workers[t].join(TimeUnit.SECONDS.toMillis(60));
            worst = Math.max(worst, elapsed[t]);
        }
        System.out.printf("  %-36s %d thread(s): %7.1f ns/call%n", what, threads, (double) worst / CALLS);
    }
}
