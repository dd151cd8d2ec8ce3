package io.hubgate.metrics;

/**
 * The metrics the rest of Hubgate records, named after CHP's (chp-behaviour §5). Components call these
 * methods on their hot paths, so every implementation must be cheap and thread-safe.
 */
public interface ProxyMetrics {

    /** {@code requests_web}: every non-upgrade request on the public port except the health check. */
    void requestWeb();

    /** {@code requests_ws}: every upgrade request on the public port. */
    void requestWs();

    /** {@code requests_proxy{status}}: each upstream response status and each Hubgate-made error. */
    void requestProxy(int status);

    /** {@code requests_api{status}}: each finished API response. */
    void requestApi(int status);

    /** {@code api_route_get}: successful full-table GET. */
    void apiRouteGet();

    /** {@code api_route_add}: successful POST. */
    void apiRouteAdd();

    /** {@code api_route_delete}: every authorised DELETE that reached the store (204 and 404). */
    void apiRouteDelete();

    /** {@code find_target_for_req} summary, in nanoseconds (exposed in seconds). */
    void findTargetForReq(long nanos);

    /** {@code last_activity_updating} summary, in nanoseconds (exposed in seconds). */
    void lastActivityUpdating(long nanos);

    /** Gauge of open client connections on the public port (new metric). */
    void clientConnectionOpened();

    void clientConnectionClosed();

    /** Gauge of established (post-101) websocket relays (new metric). */
    void websocketOpened();

    void websocketClosed();

    /**
     * Gauge {@code hubgate_route_store_writable} (new metric): 1 while the route store accepts writes, 0 while API
     * writes answer 503 (routing goes on from memory). {@code writable} is read at scrape time, never per request.
     */
    default void watchRouteStore(java.util.function.BooleanSupplier writable) {
    }

    /** A recorder that drops everything, for components built without a metrics listener. */
    ProxyMetrics NOOP = new ProxyMetrics() {
        @Override public void requestWeb() { }
        @Override public void requestWs() { }
        @Override public void requestProxy(int status) { }
        @Override public void requestApi(int status) { }
        @Override public void apiRouteGet() { }
        @Override public void apiRouteAdd() { }
        @Override public void apiRouteDelete() { }
        @Override public void findTargetForReq(long nanos) { }
        @Override public void lastActivityUpdating(long nanos) { }
        @Override public void clientConnectionOpened() { }
        @Override public void clientConnectionClosed() { }
        @Override public void websocketOpened() { }
        @Override public void websocketClosed() { }
    };
}
