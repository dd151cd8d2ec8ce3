package io.hubgate.api;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pipeline of a REST API connection. API bodies are small JSON objects; they are aggregated up to
 * {@link #MAX_BODY} (a documented limit, CHP's effective one) and idle keep-alive connections close after 5 s, as
 * Node's ({@link RoutesApiHandler} closes on the idle event unless a request is still being answered).
 *
 * <pre>
 * [tls] → HttpServerCodec → IdleStateHandler → RefusedBodyDiscarder → HttpObjectAggregator → RoutesApiHandler
 * </pre>
 */
public final class ApiChannelInitializer extends ChannelInitializer<Channel> {

    /**
     * CHP concatenates the body into one JavaScript string, so V8's maximum string length (2^29 - 24) is its
     * effective limit; ours is the same (Q23: no stricter than CHP). Only authenticated requests are
     * aggregated at all: {@link RefusedBodyDiscarder} drops the bodies of refused ones unread.
     */
    static final int MAX_BODY = 512 * 1024 * 1024;
    static final int IDLE_SECONDS = 5;

    private final SslContext tls;
    private final Supplier<ChannelHandler> handler;

    public ApiChannelInitializer(SslContext tls, Supplier<ChannelHandler> handler) {
        this.tls = tls;
        this.handler = handler;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("http", new HttpServerCodec(16 * 1024, 16 * 1024, 64 * 1024));
        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS)); // the handler decides

        ChannelHandler api = handler.get();
        if (api instanceof RoutesApiHandler routes) {
            p.addLast("refused-bodies", new RefusedBodyDiscarder(routes.access()));
        }
        p.addLast("aggregator", new HttpObjectAggregator(MAX_BODY));
        p.addLast("api", api);
    }
}
