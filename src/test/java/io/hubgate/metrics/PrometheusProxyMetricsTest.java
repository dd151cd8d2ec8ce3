package io.hubgate.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusProxyMetricsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(registry, false);
    private final ChpTextFormatWriter writer = new ChpTextFormatWriter();

    private String text() {
        return writer.toText(registry.scrape());
    }

    @Test
    void statusesOutsideTheCachedRangeAreStillCounted() {
        metrics.requestProxy(42);
        metrics.requestProxy(999);
        metrics.requestProxy(999);
        metrics.requestApi(100);
        metrics.requestApi(599);

        assertThat(text())
                .contains("requests_proxy{status=\"42\"} 1\n")
                .contains("requests_proxy{status=\"999\"} 2\n")
                .contains("requests_api{status=\"100\"} 1\n")
                .contains("requests_api{status=\"599\"} 1\n");
    }

    @Test
    void gaugesFollowOpensAndCloses() {
        metrics.clientConnectionOpened();
        metrics.clientConnectionOpened();
        metrics.websocketOpened();
        assertThat(text()).contains("hubgate_client_connections 2\n").contains("hubgate_websockets_open 1\n");

        metrics.clientConnectionClosed();
        metrics.clientConnectionClosed();
        metrics.websocketClosed();
        assertThat(text()).contains("hubgate_client_connections 0\n").contains("hubgate_websockets_open 0\n");
    }

    @Test
    void routeStoreGaugeIsReadAtScrapeTime() {
        assertThat(text()).doesNotContain("hubgate_route_store_writable"); // only once a store is watched
        java.util.concurrent.atomic.AtomicBoolean writable = new java.util.concurrent.atomic.AtomicBoolean(true);
        metrics.watchRouteStore(writable::get);
        assertThat(text()).contains("# TYPE hubgate_route_store_writable gauge\n")
                .contains("hubgate_route_store_writable 1\n");
        writable.set(false);
        assertThat(text()).contains("hubgate_route_store_writable 0\n");
    }

    @Test
    void aRegistryHoldsOnlyOneInstance() {
        assertThatThrownBy(() -> new PrometheusProxyMetrics(registry, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultConstructorIncludesJvmAndProcessMetrics() {
        PrometheusProxyMetrics full = new PrometheusProxyMetrics();
        String text = writer.toText(full.registry().scrape());
        assertThat(text).contains("\nprocess_cpu_seconds_total ", "\njvm_threads_current ", "\nrequests_web 0\n");
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        int threads = 2;
        int perThread = 100_000;
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
                    metrics.requestWeb();
                    metrics.requestProxy(200 + (i & 1) * 104); // 200 and 304, first use raced by both threads
                    metrics.findTargetForReq(500);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.isAlive()).isFalse();
        }

        assertThat(text())
                .contains("requests_web " + threads * perThread + "\n")
                .contains("requests_proxy{status=\"200\"} " + threads * perThread / 2 + "\n")
                .contains("requests_proxy{status=\"304\"} " + threads * perThread / 2 + "\n")
                .contains("find_target_for_req_count " + threads * perThread + "\n");
    }
}
