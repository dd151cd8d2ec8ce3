package io.hubgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole, validated configuration of one Hubgate process. Built by {@code cli}, consumed by every
 * component; immutable so that nothing can change settings behind a running server's back.
 *
 * <p>Nullable fields mean "not set" (as in CHP, where most options have no default).
 */
public record HubgateConfig(
        ListenAddress proxyListen,
        ListenAddress apiListen,
        ListenAddress metricsListen,          // null: no metrics listener
        TlsServerConfig proxyTls,             // null: plain HTTP
        TlsServerConfig apiTls,               // null: plain HTTP
        TlsClientConfig clientTls,            // never null
        String authToken,                     // null or empty: API not authenticated (CHP warns)
        String defaultTarget,                 // null: no default route
        String errorTarget,                   // null: use error pages
        Path errorPath,                       // null: built-in pages
        Integer redirectPort,                 // null: no HTTP->HTTPS redirect listener
        Integer redirectTo,                   // null: use the proxy port in redirects
        Path pidFile,                         // null: none
        boolean xForward,
        boolean prependPath,
        boolean includePrefix,
        boolean autoRewrite,
        boolean changeOrigin,
        String protocolRewrite,               // null: keep the scheme
        Map<String, String> customHeaders,    // insertion-ordered, never null
        boolean hostRouting,
        String logLevel,                      // CHP/winston level name, validated
        Duration timeout,                     // null: no client idle timeout on web requests
        Duration proxyTimeout,                // null: no upstream idle timeout
        Duration keepAliveTimeout,            // idle keep-alive client connections (default 5 s)
        String storageBackend,                // "memory" or "file:///abs/state-dir" (validated by the CLI)
        Duration stateFlushInterval,          // how often last_activity is written to the route store
        boolean websocketActivityBothWays,    // Q3: count server->client websocket data as activity
        boolean accessLog,                    // Q17: optional access log
        Duration shutdownGrace,               // bound on draining in-flight requests at SIGTERM
        Duration upstreamKeepAliveTimeout) {  // how long an idle upstream connection stays pooled (0: never)

    public HubgateConfig {
        customHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(customHeaders));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.proxyListen = proxyListen;
        b.apiListen = apiListen;
        b.metricsListen = metricsListen;
        b.proxyTls = proxyTls;
        b.apiTls = apiTls;
        b.clientTls = clientTls;
        b.authToken = authToken;
        b.defaultTarget = defaultTarget;
        b.errorTarget = errorTarget;
        b.errorPath = errorPath;
        b.redirectPort = redirectPort;
        b.redirectTo = redirectTo;
        b.pidFile = pidFile;
        b.xForward = xForward;
        b.prependPath = prependPath;
        b.includePrefix = includePrefix;
        b.autoRewrite = autoRewrite;
        b.changeOrigin = changeOrigin;
        b.protocolRewrite = protocolRewrite;
        b.customHeaders = new LinkedHashMap<>(customHeaders);
        b.hostRouting = hostRouting;
        b.logLevel = logLevel;
        b.timeout = timeout;
        b.proxyTimeout = proxyTimeout;
        b.keepAliveTimeout = keepAliveTimeout;
        b.storageBackend = storageBackend;
        b.stateFlushInterval = stateFlushInterval;
        b.websocketActivityBothWays = websocketActivityBothWays;
        b.accessLog = accessLog;
        b.shutdownGrace = shutdownGrace;
        b.upstreamKeepAliveTimeout = upstreamKeepAliveTimeout;
        return b;
    }

    /** Mutable builder with CHP's defaults; used by the CLI and by tests. */
    public static final class Builder {
        public ListenAddress proxyListen = ListenAddress.tcp(null, 8000);
        public ListenAddress apiListen = ListenAddress.tcp("localhost", 8001);
        public ListenAddress metricsListen;
        public TlsServerConfig proxyTls;
        public TlsServerConfig apiTls;
        public TlsClientConfig clientTls = TlsClientConfig.DEFAULT;
        public String authToken;
        public String defaultTarget;
        public String errorTarget;
        public Path errorPath;
        public Integer redirectPort;
        public Integer redirectTo;
        public Path pidFile;
        public boolean xForward = true;
        public boolean prependPath = true;
        public boolean includePrefix = true;
        public boolean autoRewrite;
        public boolean changeOrigin;
        public String protocolRewrite;
        public Map<String, String> customHeaders = new LinkedHashMap<>();
        public boolean hostRouting;
        public String logLevel = "info";
        public Duration timeout;
        public Duration proxyTimeout;
        public Duration keepAliveTimeout = Duration.ofMillis(5000);
        public String storageBackend = "memory";
        public Duration stateFlushInterval = Duration.ofSeconds(10);
        public boolean websocketActivityBothWays;
        public boolean accessLog;
        public Duration shutdownGrace = Duration.ofSeconds(10);
        public Duration upstreamKeepAliveTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        public HubgateConfig build() {
            return new HubgateConfig(proxyListen, apiListen, metricsListen, proxyTls, apiTls, clientTls,
                    authToken, defaultTarget, errorTarget, errorPath, redirectPort, redirectTo, pidFile,
                    xForward, prependPath, includePrefix, autoRewrite, changeOrigin, protocolRewrite,
                    customHeaders, hostRouting, logLevel, timeout, proxyTimeout, keepAliveTimeout,
                    storageBackend, stateFlushInterval, websocketActivityBothWays, accessLog, shutdownGrace,
                    upstreamKeepAliveTimeout);
        }
    }
}
