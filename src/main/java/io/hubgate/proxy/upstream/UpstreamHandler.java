package io.hubgate.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection's pipeline. While the connection serves an exchange it hands
 * every event to that exchange's {@link UpstreamListener}; while it idles in the pool it has no listener,
 * and anything the server sends (it should send nothing) makes the connection unusable, so it is closed.
 *
 * <pre>
 * [SslHandler] → HttpClientCodec → [IdleStateHandler] → UpstreamHandler
 * </pre>
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private UpstreamListener listener; // only touched on the channel's event loop
    private Throwable failure;
    /** When the connection went back to the idle pool (System.nanoTime), or 0 while in use. */
    long releasedAt;
    /** How long this connection may idle in the pool: the configured limit, or less if the server said so. */
    long idleLimitNanos;

    UpstreamHandler(long idleLimitNanos) {
        this.idleLimitNanos = idleLimitNanos;
    }

    void attach(UpstreamListener listener) {
        this.listener = listener;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            idleLimitNanos = KeepAliveHint.idleLimitNanos(response.headers(), idleLimitNanos);
        }
        UpstreamListener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        l.upstreamRead(ctx.channel(), msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.upstreamReadComplete(ctx.channel());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        if (l != null) {
            l.upstreamWritabilityChanged(ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            UpstreamListener l = listener;
            if (l != null) {
                l.upstreamIdle(ctx.channel());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener l = listener;
        listener = null;
        if (l != null) {
            l.upstreamClosed(ctx.channel(), failure);
        }
    }
}
