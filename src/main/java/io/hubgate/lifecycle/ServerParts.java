package io.hubgate.lifecycle;

import io.hubgate.config.HubgateConfig;
import io.hubgate.lifecycle.HubgateServer.Parts;
import io.hubgate.metrics.MetricsChannelInitializer;
import io.hubgate.metrics.PrometheusProxyMetrics;
import io.hubgate.tls.TlsContexts;
import io.hubgate.config.TlsClientConfig;
import io.hubgate.proxy.upstream.UpstreamTlsFactory;
import io.hubgate.tls.UpstreamTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.util.function.IntFunction;

/**
 * Builds the production {@link Parts} from a configuration: TLS contexts (read and validated now, so a
 * bad key or certificate is a startup error), the Prometheus recorder and the optional listeners' pipelines.
 */
public final class ServerParts {

    private ServerParts() {
    }

    public static Parts from(HubgateConfig config) {
        // JVM and process metrics (JMX beans, a scheduler thread) only when someone can scrape them.
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(new PrometheusRegistry(),
                config.metricsListen() != null);
        UpstreamTlsFactory upstreamTls = upstreamTls(config.clientTls());
        SslContext proxyTls = config.proxyTls() == null ? null : TlsContexts.forServer(config.proxyTls());
        SslContext apiTls = config.apiTls() == null ? null : TlsContexts.forServer(config.apiTls());
        MetricsChannelInitializer metricsInit = config.metricsListen() == null ? null
                : new MetricsChannelInitializer(metrics.registry());
        IntFunction<ChannelHandler> redirectInit = config.redirectPort() == null ? null
                : ServerParts::redirectInitializer;
        return new Parts(metrics, upstreamTls, proxyTls, apiTls, metricsInit, redirectInit);
    }

    /**
     * TLS towards {@code https://} targets. With {@code --client-ssl-*} or {@code --insecure} the context is
     * built now, so a bad key or CA file is a startup error; otherwise (the JDK's trust store, nothing to
     * validate) it is built on first use, which keeps the TLS stack out of memory when no target needs it.
     */
    static UpstreamTlsFactory upstreamTls(TlsClientConfig config) {
        boolean configured = config.key() != null || config.cert() != null || config.ca() != null || config.insecure();
        if (configured) {
            return TlsContexts.forClient(config)::newHandler;
        }
        return new UpstreamTlsFactory() {
            private volatile UpstreamTls tls;

            @Override
            public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
                UpstreamTls t = tls;
                if (t == null) {
                    synchronized (this) {
                        t = tls;
                        if (t == null) {
                            t = TlsContexts.forClient(config);
                            tls = t;
                        }
                    }
                }
                return t.newHandler(alloc, host, port);
            }
        };
    }

    /** The {@code --redirect-port} listener's pipeline: 301 to HTTPS on {@code httpsPort}. */
    static ChannelHandler redirectInitializer(int httpsPort) {
        HttpsRedirectHandler redirect = new HttpsRedirectHandler(httpsPort);
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), redirect);
            }
        };
    }
}
