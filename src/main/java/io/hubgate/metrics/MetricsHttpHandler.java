package io.hubgate.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Answers the metrics listener's requests (chp-behaviour §5): the exact request-target {@code /metrics},
 * with any method, gets 200 and the registry in CHP's text format; anything else, a query string
 * included, gets 404 {@code Not Found}. Connections are kept alive as the request asks.
 *
 * <p>Expects {@code HttpServerCodec} and {@code HttpObjectAggregator} before it (see
 * {@link MetricsChannelInitializer}). Stateless, so one instance can serve every connection.
 */
@ChannelHandler.Sharable
public final class MetricsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** The one request-target that is served. */
    public static final String METRICS_PATH = "/metrics";

    private static final Logger log = LoggerFactory.getLogger(MetricsHttpHandler.class);

    private final PrometheusRegistry registry;
    private final ChpTextFormatWriter writer;

    /** Serves {@code registry} with CHP's names. */
    public MetricsHttpHandler(PrometheusRegistry registry) {
        this(registry, new ChpTextFormatWriter());
    }

    public MetricsHttpHandler(PrometheusRegistry registry, ChpTextFormatWriter writer) {
        this.registry = registry;
        this.writer = writer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            // Node answers an over-long request head with 431 and anything unparsable with 400, then closes.
            HttpResponseStatus status = request.decoderResult().cause() instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            respond(ctx, request, textResponse(status, status.reasonPhrase()), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        FullHttpResponse response;
        if (METRICS_PATH.equals(request.uri())) {
            response = metricsResponse(ctx, request.method());
        } else {
            // CHP sends this 404 without a Content-Type; so do we.
            response = textResponse(HttpResponseStatus.NOT_FOUND, "Not Found");
        }
        respond(ctx, request, response, keepAlive);
    }

    private FullHttpResponse metricsResponse(ChannelHandlerContext ctx, HttpMethod method) {
        String text;
        try {
            text = writer.toText(registry.scrape());
        } catch (RuntimeException e) {
            log.error("Collecting metrics failed", e);
            return textResponse(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error");
        }
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), text);
        int length = body.readableBytes();
        if (HttpMethod.HEAD.equals(method)) {
            // Same headers as GET, no body (the codec knows a HEAD response has none).
            body.release();
            body = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, ChpTextFormatWriter.CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        return response;
    }

    private static FullHttpResponse textResponse(HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
                                boolean keepAlive) {
        // Written against the request's version so an HTTP/1.0 client that asked for keep-alive hears it back.
        HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Metrics connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
