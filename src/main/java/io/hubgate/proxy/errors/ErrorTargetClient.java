package io.hubgate.proxy.errors;

import io.hubgate.proxy.upstream.UpstreamConnector;
import io.hubgate.proxy.upstream.UpstreamListener;
import io.hubgate.routing.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Fetches an error page from {@code --error-target} (chp-behaviour §4.10 step 1):
 * {@code GET <error-target>/<code>?url=<form-encoded request-target>} with no client headers. The body is
 * collected (error pages are small; at most {@link #MAX_BODY} bytes) so that a failure at any point can
 * still fall back to a static page. Unlike CHP, a hanging error target is bounded by a timeout.
 */
public final class ErrorTargetClient {

    static final int MAX_BODY = 1024 * 1024;
    private static final long TIMEOUT_SECONDS = 10;

    /** The error server's answer: content type and encoding headers (may be null) and the body. */
    public record ErrorPage(String contentType, String contentEncoding, ByteBuf body) {
    }

    private final Target errorTarget;
    private final UpstreamConnector connector;

    public ErrorTargetClient(Target errorTarget, UpstreamConnector connector) {
        this.errorTarget = errorTarget;
        this.connector = connector;
    }

    public String urlFor(int code, String originalUri) {
        String base = errorTarget.pathAndQuery();
        return base + code + "?url=" + URLEncoder.encode(originalUri, StandardCharsets.UTF_8);
    }

    public String describe(int code, String originalUri) {
        return errorTarget.raw() + code + "?url=" + URLEncoder.encode(originalUri, StandardCharsets.UTF_8);
    }

    /** Fetches the page on {@code loop}; the promise fails if the error target cannot deliver one. */
    public Future<ErrorPage> fetch(EventLoop loop, int code, String originalUri) {
        Promise<ErrorPage> promise = loop.newPromise();
        Fetch fetch = new Fetch(promise);
        connector.connect(loop, errorTarget, fetch).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            Channel ch = f.channel();
            fetch.timeout = loop.schedule(() -> {
                promise.tryFailure(new IOException("error target timed out"));
                ch.close();
            }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
            DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    urlFor(code, originalUri));
            req.headers().set(HttpHeaderNames.HOST, errorTarget.hostHeader());
            req.headers().set(HttpHeaderNames.CONNECTION, "close");
            ch.writeAndFlush(req);
            ch.read();
        });
        return promise;
    }

    private static final class Fetch implements UpstreamListener {
        private final Promise<ErrorPage> promise;
        private ScheduledFuture<?> timeout;
        private String contentType;
        private String contentEncoding;
        private CompositeByteBuf body;

        Fetch(Promise<ErrorPage> promise) {
            this.promise = promise;
        }

        @Override
        public void upstreamRead(Channel upstream, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
                    contentEncoding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING);
                    body = upstream.alloc().compositeBuffer();
                }
                if (msg instanceof HttpContent content && body != null) {
                    if (body.readableBytes() + content.content().readableBytes() > MAX_BODY) {
                        fail(upstream, new IOException("error page larger than " + MAX_BODY + " bytes"));
                        return;
                    }
                    body.addComponent(true, content.content().retain());
                    if (msg instanceof LastHttpContent) {
                        CompositeByteBuf done = body;
                        body = null;
                        cancelTimeout();
                        if (!promise.trySuccess(new ErrorPage(contentType, contentEncoding, done))) {
                            done.release();
                        }
                        upstream.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void upstreamReadComplete(Channel upstream) {
            if (!promise.isDone()) {
                upstream.read();
            }
        }

        @Override
        public void upstreamWritabilityChanged(Channel upstream) {
        }

        @Override
        public void upstreamClosed(Channel upstream, Throwable cause) {
            fail(upstream, cause != null ? cause : new IOException("socket hang up"));
        }

        @Override
        public void upstreamIdle(Channel upstream) {
            fail(upstream, new IOException("socket hang up"));
        }

        private void fail(Channel upstream, Throwable cause) {
            cancelTimeout();
            if (body != null) {
                body.release();
                body = null;
            }
            promise.tryFailure(cause);
            upstream.close();
        }

        private void cancelTimeout() {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }
}
