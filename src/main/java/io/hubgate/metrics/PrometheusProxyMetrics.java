package io.hubgate.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * {@link ProxyMetrics} backed by prometheus-metrics-core: CHP's nine metrics under CHP's names and help
 * texts, the gauges Hubgate adds ({@value #CLIENT_CONNECTIONS}, {@value #WEBSOCKETS_OPEN} and, once watched,
 * {@value #ROUTE_STORE_WRITABLE}), and
 * optionally the JVM and process metrics of prometheus-metrics-instrumentation-jvm.
 *
 * <p>Every recording method is lock-free and does not allocate: counters are {@code LongAdder}s (the
 * library's counters, exemplars off), the per-status children of {@code requests_proxy} and
 * {@code requests_api} are looked up once per status and cached, and the two summaries record into a
 * striped histogram that becomes a summary snapshot only when scraped (see {@link LatencySummary} for
 * why, and for how its quantiles differ from prom-client's).
 *
 * <p>Serve {@link #registry()} with {@link MetricsChannelInitializer}; other components may register
 * their own collectors in the same registry.
 */
public final class PrometheusProxyMetrics implements ProxyMetrics {

    /** Gauge: open client connections on the public port. */
    public static final String CLIENT_CONNECTIONS = "hubgate_client_connections";
    /** Gauge: websocket relays that got their 101 and are not yet closed. */
    public static final String WEBSOCKETS_OPEN = "hubgate_websockets_open";
    /** Gauge: 1 while the route store accepts writes (see {@link ProxyMetrics#watchRouteStore}). */
    public static final String ROUTE_STORE_WRITABLE = "hubgate_route_store_writable";

    // Java client Summary defaults, which the design keeps for the quantile window.
    static final long SUMMARY_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final int SUMMARY_AGE_BUCKETS = 5;

    // Status children cached by code; anything outside this range goes through the library's map.
    private static final int MIN_CACHED_STATUS = 100;
    private static final int MAX_CACHED_STATUS = 599;

    private final PrometheusRegistry registry;

    private final Counter apiRouteGet;
    private final Counter apiRouteAdd;
    private final Counter apiRouteDelete;
    private final Counter requestsWs;
    private final Counter requestsWeb;
    private final Counter requestsProxy;
    private final Counter requestsApi;
    private final AtomicReferenceArray<CounterDataPoint> requestsProxyByStatus =
            new AtomicReferenceArray<>(MAX_CACHED_STATUS - MIN_CACHED_STATUS + 1);
    private final AtomicReferenceArray<CounterDataPoint> requestsApiByStatus =
            new AtomicReferenceArray<>(MAX_CACHED_STATUS - MIN_CACHED_STATUS + 1);

    private final LatencySummary findTargetForReq;
    private final LatencySummary lastActivityUpdating;

    private final LongAdder clientConnections = new LongAdder();
    private final LongAdder websocketsOpen = new LongAdder();

    /** A fresh registry with CHP's metrics, Hubgate's gauges, and the JVM and process metrics. */
    public PrometheusProxyMetrics() {
        this(new PrometheusRegistry(), true);
    }

    /**
     * Registers CHP's metrics and Hubgate's gauges in {@code registry}, and the JVM and process metrics
     * too when {@code includeJvmMetrics} is set. A registry can hold only one instance.
     */
    public PrometheusProxyMetrics(PrometheusRegistry registry, boolean includeJvmMetrics) {
        this(registry, includeJvmMetrics, System::nanoTime);
    }

    /** For tests: {@code nanoClock} drives the summaries' quantile window. */
    PrometheusProxyMetrics(PrometheusRegistry registry, boolean includeJvmMetrics, LongSupplier nanoClock) {
        this.registry = registry;
        apiRouteGet = counter(ChpMetricNames.API_ROUTE_GET, ChpMetricNames.HELP_API_ROUTE_GET);
        apiRouteAdd = counter(ChpMetricNames.API_ROUTE_ADD, ChpMetricNames.HELP_API_ROUTE_ADD);
        apiRouteDelete = counter(ChpMetricNames.API_ROUTE_DELETE, ChpMetricNames.HELP_API_ROUTE_DELETE);
        findTargetForReq = summary(ChpMetricNames.FIND_TARGET_FOR_REQ,
                ChpMetricNames.HELP_FIND_TARGET_FOR_REQ, nanoClock);
        lastActivityUpdating = summary(ChpMetricNames.LAST_ACTIVITY_UPDATING,
                ChpMetricNames.HELP_LAST_ACTIVITY_UPDATING, nanoClock);
        requestsWs = counter(ChpMetricNames.REQUESTS_WS, ChpMetricNames.HELP_REQUESTS_WS);
        requestsWeb = counter(ChpMetricNames.REQUESTS_WEB, ChpMetricNames.HELP_REQUESTS_WEB);
        requestsProxy = counter(ChpMetricNames.REQUESTS_PROXY, ChpMetricNames.HELP_REQUESTS_PROXY,
                ChpMetricNames.STATUS_LABEL);
        requestsApi = counter(ChpMetricNames.REQUESTS_API, ChpMetricNames.HELP_REQUESTS_API,
                ChpMetricNames.STATUS_LABEL);

        GaugeWithCallback.builder()
                .name(CLIENT_CONNECTIONS)
                .help("Number of open client connections on the public port")
                .callback(cb -> cb.call(clientConnections.sum()))
                .register(registry);
        GaugeWithCallback.builder()
                .name(WEBSOCKETS_OPEN)
                .help("Number of established websocket connections being proxied")
                .callback(cb -> cb.call(websocketsOpen.sum()))
                .register(registry);

        if (includeJvmMetrics) {
            // Includes process_cpu_seconds_total, process_open_fds, process_resident_memory_bytes, ...
            JvmMetrics.builder().register(registry);
        }
    }

    @Override
    public void watchRouteStore(BooleanSupplier writable) {
        GaugeWithCallback.builder()
                .name(ROUTE_STORE_WRITABLE)
                .help("1 while the route store accepts writes; 0 while API writes answer 503 (routing goes on)")
                .callback(cb -> cb.call(writable.getAsBoolean() ? 1 : 0))
                .register(registry);
    }

    /** The registry to scrape (and to register further collectors in). */
    public PrometheusRegistry registry() {
        return registry;
    }

    private Counter counter(String name, String help, String... labelNames) {
        return Counter.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .withoutExemplars() // exemplar sampling costs time per inc() and text format 0.0.4 drops them
                .register(registry);
    }

    private LatencySummary summary(String name, String help, LongSupplier nanoClock) {
        LatencySummary summary = new LatencySummary(name, help, LatencySummary.CHP_QUANTILES,
                SUMMARY_MAX_AGE_NANOS, SUMMARY_AGE_BUCKETS, nanoClock);
        registry.register(summary);
        return summary;
    }

    @Override
    public void requestWeb() {
        requestsWeb.inc();
    }

    @Override
    public void requestWs() {
        requestsWs.inc();
    }

    @Override
    public void requestProxy(int status) {
        byStatus(requestsProxy, requestsProxyByStatus, status).inc();
    }

    @Override
    public void requestApi(int status) {
        byStatus(requestsApi, requestsApiByStatus, status).inc();
    }

    /**
     * The counter child for {@code status}. The library's own lookup builds a label list and hashes it
     * (about 50&nbsp;ns and an allocation); after the first use of a status this is one array read.
     * Two threads racing on a first use both get the library's single child for that label value.
     */
    private static CounterDataPoint byStatus(Counter counter, AtomicReferenceArray<CounterDataPoint> cache,
                                             int status) {
        if (status < MIN_CACHED_STATUS || status > MAX_CACHED_STATUS) {
            return counter.labelValues(Integer.toString(status));
        }
        int slot = status - MIN_CACHED_STATUS;
        CounterDataPoint child = cache.get(slot);
        if (child == null) {
            child = counter.labelValues(Integer.toString(status));
            cache.set(slot, child);
        }
        return child;
    }

    @Override
    public void apiRouteGet() {
        apiRouteGet.inc();
    }

    @Override
    public void apiRouteAdd() {
        apiRouteAdd.inc();
    }

    @Override
    public void apiRouteDelete() {
        apiRouteDelete.inc();
    }

    @Override
    public void findTargetForReq(long nanos) {
        findTargetForReq.observeNanos(nanos);
    }

    @Override
    public void lastActivityUpdating(long nanos) {
        lastActivityUpdating.observeNanos(nanos);
    }

    @Override
    public void clientConnectionOpened() {
        clientConnections.increment();
    }

    @Override
    public void clientConnectionClosed() {
        clientConnections.decrement();
    }

    @Override
    public void websocketOpened() {
        websocketsOpen.increment();
    }

    @Override
    public void websocketClosed() {
        websocketsOpen.decrement();
    }
}
