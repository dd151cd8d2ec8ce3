package io.hubgate.lifecycle;

import io.hubgate.api.ApiChannelInitializer;
import io.hubgate.api.RoutesApiHandler;
import io.hubgate.config.HubgateConfig;
import io.hubgate.config.ListenAddress;
import io.hubgate.control.RouteService;
import io.hubgate.metrics.ProxyMetrics;
import io.hubgate.proxy.InFlight;
import io.hubgate.proxy.ProxyChannelInitializer;
import io.hubgate.proxy.ProxyContext;
import io.hubgate.proxy.upstream.UpstreamConnector;
import io.hubgate.proxy.upstream.UpstreamTlsFactory;
import io.hubgate.routing.Route;
import io.hubgate.routing.RouteTable;
import io.hubgate.store.RouteStore;
import io.hubgate.store.RouteStores;
import io.hubgate.store.StoreException;
import io.hubgate.transport.Listener;
import io.hubgate.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One running Hubgate: the public proxy listener, the REST API listener and (optionally) the metrics and
 * HTTP→HTTPS redirect listeners, sharing one transport and one routing table. {@code main} and the
 * integration tests both start it through {@link #start}.
 */
public final class HubgateServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hubgate");

    private final HubgateConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final RouteService routes;
    private final ProxyContext proxyContext;
    private final List<Listener> listeners = new ArrayList<>();
    private Listener proxyListener;
    private Listener apiListener;
    private Listener metricsListener;
    private EventLoopGroup metricsGroup;
    private volatile boolean closed;

    private HubgateServer(HubgateConfig config, EventLoopGroup boss, EventLoopGroup workers, RouteService routes,
                          ProxyContext proxyContext) {
        this.config = config;
        this.boss = boss;
        this.workers = workers;
        this.routes = routes;
        this.proxyContext = proxyContext;
    }

    /** The pieces that differ between a production start and a test: TLS factories, metrics. */
    public record Parts(ProxyMetrics metrics, UpstreamTlsFactory upstreamTls, SslContext proxyTls,
                        SslContext apiTls, io.netty.channel.ChannelHandler metricsInitializer,
                        io.netty.channel.ChannelHandler redirectInitializer) {
    }

    public static HubgateServer start(HubgateConfig config, Parts parts) throws StoreException {
        Transport transport = Transport.detect();
        EventLoopGroup boss = transport.newGroup(1, "hubgate-accept");
        EventLoopGroup workers = transport.newGroup(workerThreads(), "hubgate-io");
        JsonMapper mapper = JsonMapper.builder().build();
        RouteTable table = new RouteTable();
        RouteStore store;
        try {
            store = RouteStores.open(config.storageBackend());
        } catch (StoreException e) {
            shutdownGroups(boss, workers);
            throw e;
        }
        RouteService routes = new RouteService(table, store, mapper, config.hostRouting(),
                config.stateFlushInterval());
        UpstreamConnector connector = new UpstreamConnector(transport, parts.upstreamTls(), config.proxyTimeout(),
                Duration.ofSeconds(30));
        ProxyContext px = new ProxyContext(config, table, parts.metrics(), connector);
        HubgateServer server = new HubgateServer(config, boss, workers, routes, px);
        try {
            int restored = routes.start();
            if (restored > 0) {
                log.info("Restored {} routes from {}", restored, store.describe());
            }
            if (config.authToken() == null || config.authToken().isEmpty()) {
                log.warn("REST API is not authenticated.");
            }
            if (config.defaultTarget() != null) {
                server.addDefaultRoute(mapper);
            }
            server.bindAll(transport, parts, mapper);
        } catch (RuntimeException | StoreException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void addDefaultRoute(JsonMapper mapper) {
        String target = config.defaultTarget();
        Route restored = routes.table().get("/");
        if (restored != null && restored.target().raw().equals(target)) {
            // a restored table: keep its "/" (the hub's, with its data and activity) when it goes to the same place
            log.info("Keeping restored route / -> {}", target);
            return;
        }
        log.info("Adding route / -> {}", target);
        ObjectNode data = mapper.createObjectNode();
        data.put("target", target);
        routes.put("/", data).join();
        log.info("Route added / -> {}", target);
    }

    private void bindAll(Transport transport, Parts parts, JsonMapper mapper) {
        proxyListener = Listener.bind("the proxy", config.proxyListen(), transport, boss, workers,
                new ProxyChannelInitializer(proxyContext, parts.proxyTls()));
        listeners.add(proxyListener);
        apiListener = Listener.bind("the REST API", config.apiListen(), transport, boss, workers,
                new ApiChannelInitializer(parts.apiTls(),
                        () -> new RoutesApiHandler(routes, parts.metrics(), mapper, config.authToken())));
        listeners.add(apiListener);
        if (config.metricsListen() != null && parts.metricsInitializer() != null) {
            // A scrape renders every metric (~1 ms): its own thread keeps that off the proxy's event loops.
            metricsGroup = transport.newGroup(1, "hubgate-metrics");
            metricsListener = Listener.bind("metrics", config.metricsListen(), transport, boss, metricsGroup,
                    parts.metricsInitializer());
            listeners.add(metricsListener);
        }
        String scheme = parts.proxyTls() != null ? "https" : "http";
        String apiScheme = parts.apiTls() != null ? "https" : "http";
        log.info("Proxying {}://{} to {}", scheme, displayBound(config.proxyListen(), proxyListener),
                config.defaultTarget() == null ? "(no default)" : config.defaultTarget());
        log.info("Proxy API at {}://{}/api/routes", apiScheme, displayBound(config.apiListen(), apiListener));
        if (metricsListener != null) {
            log.info("Serve metrics at http://{}/metrics", displayBound(config.metricsListen(), metricsListener));
        }
        if (config.redirectPort() != null && parts.redirectInitializer() != null && !config.proxyListen().isUnix()
                && config.proxyListen().port() != 80) {
            Listener redirect = Listener.bind("the HTTP to HTTPS redirect", ListenAddress.tcp(null,
                    config.redirectPort()), transport, boss, workers, parts.redirectInitializer());
            listeners.add(redirect);
            int to = config.redirectTo() != null ? config.redirectTo() : config.proxyListen().port();
            log.info("Added HTTP to HTTPS redirection from {} to {}", redirect.port(), to);
        }
    }

    /** The configured address with the port actually bound (differs when port 0 was asked for). */
    private static String displayBound(ListenAddress configured, Listener bound) {
        if (configured.isUnix()) {
            return configured.display();
        }
        return new ListenAddress(configured.host(), bound.port(), null).display();
    }

    private static int workerThreads() {
        String configured = System.getProperty("hubgate.ioThreads");
        if (configured != null) {
            return Integer.parseInt(configured);
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public int proxyPort() {
        return proxyListener.port();
    }

    public int apiPort() {
        return apiListener.port();
    }

    public int metricsPort() {
        return metricsListener == null ? -1 : metricsListener.port();
    }

    public RouteService routes() {
        return routes;
    }

    public InFlight inFlight() {
        return proxyContext.inFlight();
    }

    /**
     * Graceful stop: stop accepting, let in-flight requests finish (idle keep-alive connections close, open
     * websockets are cut when the bound expires), then release everything.
     */
    public void shutdown(Duration grace) {
        if (closed) {
            return;
        }
        for (Listener l : listeners) {
            l.close();
        }
        InFlight inFlight = proxyContext.inFlight();
        inFlight.startDraining();
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.count() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // polling a counter during shutdown: nothing to wait on more cheaply
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.count() > 0) {
            log.warn("Shutting down with {} requests still in flight", inFlight.count());
        }
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        shutdownGroups(boss, workers);
        if (metricsGroup != null) {
            metricsGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        routes.close();
    }

    private static void shutdownGroups(EventLoopGroup boss, EventLoopGroup workers) {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
