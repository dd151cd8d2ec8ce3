package io.hubgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The {@code --timeout} idle timer on client connections: it fires its own event and
 * {@link ClientToProxyHandler} decides what the idleness means in its current state (only a web request in
 * progress is cut). {@code --keep-alive-timeout} is {@link KeepAliveTimer}, which needs no per-write listener.
 */
final class ClientTimeouts extends IdleStateHandler {

    /** No traffic for {@code --timeout}: closes the connection if a web request is in progress. */
    static final Object REQUEST_IDLE = "hubgate.requestIdle";

    private final Object event;

    ClientTimeouts(long millis, Object event) {
        super(0, 0, millis, TimeUnit.MILLISECONDS);
        this.event = event;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.fireUserEventTriggered(event);
    }
}
