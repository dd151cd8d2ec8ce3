package io.hubgate.metrics;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.TimeUnit;

/**
 * The metrics listener's pipeline: idle timeout, HTTP/1.1 codec, aggregator, {@link MetricsHttpHandler}.
 * Bind it on a TCP or Unix-socket server channel; the channel type does not matter.
 *
 * <p>Limits: request line and header section up to 16&nbsp;KiB each (Node's limit for the whole head is
 * 16&nbsp;KiB, decision Q23), request bodies up to 64&nbsp;KiB (a scrape has none; larger gets 413),
 * connections idle for {@value #DEFAULT_IDLE_TIMEOUT_SECONDS}&nbsp;s by default are closed.
 *
 * <p>A scrape runs on the connection's event loop and, with the JVM and process collectors, takes about
 * 1&nbsp;ms (it reads {@code /proc} and the JVM's management beans): give the metrics listener its own
 * small event loop group rather than the proxy's, so a scrape never delays proxied traffic.
 */
public final class MetricsChannelInitializer extends ChannelInitializer<Channel> {

    public static final int MAX_INITIAL_LINE_LENGTH = 16 * 1024;
    public static final int MAX_HEADER_SIZE = 16 * 1024;
    public static final int MAX_CONTENT_LENGTH = 64 * 1024;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;

    private final MetricsHttpHandler handler;
    private final int idleTimeoutSeconds;

    /** Serves {@code registry} with CHP's names and the default idle timeout. */
    public MetricsChannelInitializer(PrometheusRegistry registry) {
        this(new MetricsHttpHandler(registry), DEFAULT_IDLE_TIMEOUT_SECONDS);
    }

    /** @param idleTimeoutSeconds close a connection with no traffic for this long; 0 disables */
    public MetricsChannelInitializer(MetricsHttpHandler handler, int idleTimeoutSeconds) {
        if (idleTimeoutSeconds < 0) {
            throw new IllegalArgumentException("idleTimeoutSeconds must be >= 0");
        }
        this.handler = handler;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline pipeline = ch.pipeline();
        if (idleTimeoutSeconds > 0) {
            pipeline.addLast("idle", new IdleStateHandler(0, 0, idleTimeoutSeconds, TimeUnit.SECONDS));
        }
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
                .setMaxHeaderSize(MAX_HEADER_SIZE)));
        pipeline.addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_LENGTH));
        pipeline.addLast("metrics", handler);
    }
}
