package io.hubgate.lifecycle;

import io.hubgate.api.ApiChannelInitializer;
import io.hubgate.api.RoutesApiHandler;
import io.hubgate.config.HubgateConfig;
import io.hubgate.config.ListenAddress;
import io.hubgate.control.RouteService;
import io.hubgate.json.JsonValue;
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
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Hubgate: the public proxy listener, the REST API listener and (optionally) the metrics and
 * HTTP→HTTPS redirect listeners, sharing one transport and one routing table. {@code main} and the
 * integration tests both start it through {@link #start}.
 *
 * <p>Startup logs CHP's lines in CHP's order (§2.5), and tools read them as readiness signals (CHP's own
 * test suite waits for {@code Route added /} and {@code Added HTTP to HTTPS redirection}). So every
 * listener is bound, and the pid file written, before any of those lines is printed.
 */
public final class HubgateServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hubgate");

    private final HubgateConfig config;
    private final EventLoopGroup workers;
    private final RouteService routes;
    private final ProxyContext proxyContext;
    private final List<Listener> listeners = new ArrayList<>();
    private Listener proxyListener;
    private Listener apiListener;
    private Listener metricsListener;
    private Listener redirectListener;
    private EventLoopGroup metricsGroup;
    private PidFile pidFile;
    private volatile boolean closed;
    /** Set when the launcher asked for it (serial collector); runs on the accepting event loop. */
    private volatile HeapGrowthGuard heapGuard;

    private HubgateServer(HubgateConfig config, EventLoopGroup workers, RouteService routes,
                          ProxyContext proxyContext) {
        this.config = config;
        this.workers = workers;
        this.routes = routes;
        this.proxyContext = proxyContext;
    }

    /**
     * The pieces that differ between a production start and a test: TLS factories, metrics.
     * {@code redirectInitializer} makes the redirect listener's pipeline for the HTTPS port to redirect to
     * (known only once the proxy is bound, when {@code --port 0} asked for any free port).
     */
    public record Parts(ProxyMetrics metrics, UpstreamTlsFactory upstreamTls, SslContext proxyTls,
                        SslContext apiTls, ChannelHandler metricsInitializer,
                        IntFunction<ChannelHandler> redirectInitializer) {
    }

    public static HubgateServer start(HubgateConfig config, Parts parts) throws StoreException {
        Transport transport = Transport.detect();
        // No separate accepting thread: each listener accepts on one of the event loops that serve its
        // connections. On a proxy pinned to one core a separate thread costs two context switches per new
        // connection (docs/performance.md, "Accepting on the event loop": +25-40 % requests per CPU-second).
        EventLoopGroup workers = transport.newGroup(workerThreads(), "hubgate-io");
        RouteTable table = new RouteTable();
        RouteStore store;
        try {
            store = RouteStores.open(config.storageBackend());
        } catch (StoreException e) {
            shutdownGroups(workers);
            throw e;
        }
        RouteService routes = new RouteService(table, store, config.hostRouting(),
                config.stateFlushInterval());
        UpstreamConnector connector = new UpstreamConnector(transport, parts.upstreamTls(), config.proxyTimeout(),
                Duration.ofSeconds(30), config.upstreamKeepAliveTimeout());
        parts.metrics().watchRouteStore(() -> routes.storeHealth().writable());
        ProxyContext px = new ProxyContext(config, table, parts.metrics(), connector);
        HubgateServer server = new HubgateServer(config, workers, routes, px);
        try {
            int restored = routes.start();
            if (restored > 0) {
                log.info("Restored {} routes from {}", restored, store.describe());
            }
            if (config.authToken() == null || config.authToken().isEmpty()) {
                log.warn("REST API is not authenticated.");
            }
            if (config.defaultTarget() != null) {
                // The route is in place before the first connection can arrive; CHP's "Route added" line
                // follows the listeners (CHP adds the route asynchronously, and tools take it to mean ready).
                server.addDefaultRoute();
            }
            server.bindAll(transport, parts);
            server.announce(parts);
            HeapGrowthGuard.fromSystemProperty().ifPresent(guard -> {
                guard.start(workers.next());
                server.heapGuard = guard; // published after start: close() on another thread sees its task
            });
        } catch (RuntimeException | StoreException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void addDefaultRoute() {
        String target = config.defaultTarget();
        Route restored = routes.table().get("/");
        if (restored != null && restored.target().raw().equals(target)) {
            // a restored table: keep its "/" (the hub's, with its data and activity) when it goes to the same place
            log.info("Keeping restored route / -> {}", target);
            return;
        }
        log.info("Adding route / -> {}", target);
        JsonValue data = JsonValue.object().put("target", JsonValue.string(target));
        try {
            routes.put("/", data).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            // e.g. a full disk under --storage-backend file://: say which step failed and why, then exit 1
            throw new StartupException("Cannot add the default route / -> " + target + ": " + cause.getMessage(),
                    cause);
        }
    }

    /** Binds every listener; a listener that cannot bind is a startup error (Q4). Logs nothing. */
    private void bindAll(Transport transport, Parts parts) {
        proxyListener = Listener.bind("the proxy", config.proxyListen(), transport, workers,
                new ProxyChannelInitializer(proxyContext, parts.proxyTls()));
        listeners.add(proxyListener);
        apiListener = Listener.bind("the REST API", config.apiListen(), transport, workers,
                new ApiChannelInitializer(parts.apiTls(),
                        () -> new RoutesApiHandler(routes, parts.metrics(), config.authToken())));
        listeners.add(apiListener);
        if (config.metricsListen() != null && parts.metricsInitializer() != null) {
            // A scrape renders every metric (~1 ms): its own thread keeps that off the proxy's event loops.
            metricsGroup = transport.newGroup(1, "hubgate-metrics");
            metricsListener = Listener.bind("metrics", config.metricsListen(), transport, metricsGroup,
                    parts.metricsInitializer());
            listeners.add(metricsListener);
        }
        if (redirectWanted(parts)) {
            redirectListener = Listener.bind("the HTTP to HTTPS redirect", ListenAddress.tcp(null,
                    config.redirectPort()), transport, workers, parts.redirectInitializer().apply(redirectTo()));
            listeners.add(redirectListener);
        }
    }

    /** CHP starts no redirect server for a proxy on a UNIX socket or on port 80 (§2.2). */
    private boolean redirectWanted(Parts parts) {
        return config.redirectPort() != null && parts.redirectInitializer() != null && !config.proxyListen().isUnix()
                && config.proxyListen().port() != 80;
    }

    /** The HTTPS port in redirects: {@code --redirect-to}, else the proxy's bound port. */
    private int redirectTo() {
        return config.redirectTo() != null ? config.redirectTo() : proxyListener.port();
    }

    /** CHP's startup lines, in CHP's order, once everything is bound (§2.5); writes the pid file on the way. */
    private void announce(Parts parts) {
        String scheme = parts.proxyTls() != null ? "https" : "http";
        String apiScheme = parts.apiTls() != null ? "https" : "http";
        log.info("Proxying {}://{} to {}", scheme, displayBound(config.proxyListen(), proxyListener),
                config.defaultTarget() == null ? "(no default)" : config.defaultTarget());
        log.info("Proxy API at {}://{}/api/routes", apiScheme, displayBound(config.apiListen(), apiListener));
        if (metricsListener != null) {
            log.info("Serve metrics at http://{}/metrics", displayBound(config.metricsListen(), metricsListener));
        }
        // Which path Netty's buffers take depends on the JDK and the launcher's options (README, "The launcher").
        if (PlatformDependent.hasUnsafe()) {
            log.debug("Netty's buffers use sun.misc.Unsafe");
        } else {
            log.debug("Netty's buffers do not use sun.misc.Unsafe: {}", PlatformDependent.getUnsafeUnavailabilityCause());
        }
        if (config.pidFile() != null) {
            try {
                pidFile = PidFile.write(config.pidFile());
            } catch (IOException e) {
                throw new StartupException("Cannot write pid file " + config.pidFile() + ": " + e, e);
            }
        }
        if (config.defaultTarget() != null) {
            log.info("Route added / -> {}", config.defaultTarget());
        }
        if (redirectListener != null) {
            log.info("Added HTTP to HTTPS redirection from {} to {}", redirectListener.port(), redirectTo());
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

    public UpstreamConnector upstreamConnector() {
        return proxyContext.connector();
    }

    /**
     * Graceful stop, bounded by {@code grace}: stop accepting (listening sockets closed, UNIX socket files
     * removed), let in-flight HTTP requests finish (responses now carry {@code Connection: close}), then close
     * every connection once what was written to it has been sent — idle keep-alive connections and open
     * websockets included, which therefore do not hold up the exit — and release everything.
     */
    public void shutdown(Duration grace) {
        if (closed) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Listener l : listeners) {
            l.close();
        }
        InFlight inFlight = proxyContext.inFlight();
        inFlight.startDraining();
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
        // The last response bytes may still be queued for a slow client: closing the connection (or stopping
        // its event loop) would drop them, so close behind them, within what is left of the grace period.
        boolean allSent = true;
        for (Listener l : listeners) {
            allSent &= l.closeConnections(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        if (!allSent) {
            log.warn("Shutdown timeout reached: closed connections with responses still being sent");
        }
        close();
    }

    /** Immediate stop: listeners and connections closed, pending writes dropped, pid file removed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heapGuard != null) {
            heapGuard.stop();
        }
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        shutdownGroups(workers);
        if (metricsGroup != null) {
            metricsGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        routes.close();
        if (pidFile != null) {
            pidFile.remove();
        }
    }

    private static void shutdownGroups(EventLoopGroup workers) {
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
