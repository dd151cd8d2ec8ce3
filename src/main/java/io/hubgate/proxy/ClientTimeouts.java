package io.hubgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Idle timers on client connections. Two instances may sit in one pipeline, so each fires its own
 * event and {@link ClientToProxyHandler} decides what the idleness means in its current state.
 */
final class ClientTimeouts extends IdleStateHandler {

    /** No traffic for {@code --keep-alive-timeout}: closes the connection if it is between requests. */
    static final Object KEEP_ALIVE_IDLE = "hubgate.keepAliveIdle";
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
