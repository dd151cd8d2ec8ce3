package io.hubgate.proxy;

import io.hubgate.config.HubgateConfig;
import io.hubgate.metrics.ProxyMetrics;
import io.hubgate.proxy.errors.ErrorPages;
import io.hubgate.proxy.errors.ErrorTargetClient;
import io.hubgate.proxy.upstream.UpstreamConnector;
import io.hubgate.routing.RouteTable;
import io.hubgate.routing.Target;

/**
 * Everything the data plane shares across connections: settings, the live route table, the upstream
 * connector and the error responders. Immutable after construction; one instance per public listener.
 */
public final class ProxyContext {

    final HubgateConfig config;
    final RouteTable routes;
    final ProxyMetrics metrics;
    final UpstreamConnector connector;
    final HeaderRewriter headers;
    final ErrorPages errorPages;
    final ErrorTargetClient errorTarget; // null: static pages
    final InFlight inFlight = new InFlight();
    final boolean accessLog;

    public ProxyContext(HubgateConfig config, RouteTable routes, ProxyMetrics metrics, UpstreamConnector connector) {
        this.config = config;
        this.routes = routes;
        this.metrics = metrics;
        this.connector = connector;
        this.headers = new HeaderRewriter(config);
        this.accessLog = config.accessLog();
        this.errorPages = new ErrorPages(config.errorPath());
        this.errorTarget = config.errorTarget() == null ? null
                : new ErrorTargetClient(Target.parse(config.errorTarget()), connector);
    }

    /** Requests currently being served (for draining at shutdown). */
    public InFlight inFlight() {
        return inFlight;
    }

    /** Connections to targets: pools, and responses read to their end after their client left. */
    public UpstreamConnector connector() {
        return connector;
    }
}
