package io.hubgate.lifecycle;

import io.hubgate.config.HubgateConfig;
import io.hubgate.lifecycle.HubgateServer.Parts;
import io.hubgate.metrics.MetricsChannelInitializer;
import io.hubgate.metrics.PrometheusProxyMetrics;
import io.hubgate.tls.TlsContexts;
import io.hubgate.tls.UpstreamTls;
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
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics();
        UpstreamTls upstreamTls = TlsContexts.forClient(config.clientTls());
        SslContext proxyTls = config.proxyTls() == null ? null : TlsContexts.forServer(config.proxyTls());
        SslContext apiTls = config.apiTls() == null ? null : TlsContexts.forServer(config.apiTls());
        MetricsChannelInitializer metricsInit = config.metricsListen() == null ? null
                : new MetricsChannelInitializer(metrics.registry());
        IntFunction<ChannelHandler> redirectInit = config.redirectPort() == null ? null
                : ServerParts::redirectInitializer;
        return new Parts(metrics, upstreamTls::newHandler, proxyTls, apiTls, metricsInit, redirectInit);
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
