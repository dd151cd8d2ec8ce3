package io.hubgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --keep-alive-timeout}: closes a client connection that has been idle between requests for that long.
 *
 * <p>Netty's {@code IdleStateHandler} would do it too, but it watches every write by adding a listener to its
 * promise, an allocation and a callback per response on the hot path. Here the handler marks the two moments
 * that matter (a request starts, an exchange ends) and one timer per connection checks, when it fires,
 * whether the connection is still busy (an exchange in progress, or response bytes not yet written to a slow
 * client) or has been idle long enough.
 */
final class KeepAliveTimer implements Runnable {

    /** What the timer asks its connection when it fires. */
    interface Owner {
        /** True while an exchange (or a queued pipelined request) is in progress. */
        boolean exchangeInProgress();
    }

    private final ChannelHandlerContext ctx;
    private final Owner owner;
    private final long timeoutNanos;
    private long lastActivityNanos;
    private ScheduledFuture<?> pending;

    KeepAliveTimer(ChannelHandlerContext ctx, Owner owner, long timeoutNanos) {
        this.ctx = ctx;
        this.owner = owner;
        this.timeoutNanos = timeoutNanos;
    }

    void start() {
        lastActivityNanos = System.nanoTime();
        schedule(timeoutNanos);
    }

    /** A request started or an exchange ended at {@code nanos}. */
    void touch(long nanos) {
        lastActivityNanos = nanos;
    }

    /** The connection closed or became a websocket relay: no more keep-alive checks. */
    void stop() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    @Override
    public void run() {
        pending = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long idle = System.nanoTime() - lastActivityNanos;
        if (idle < timeoutNanos) {
            schedule(timeoutNanos - idle);
            return;
        }
        if (owner.exchangeInProgress() || responseStillDraining()) {
            lastActivityNanos = System.nanoTime(); // busy now: idle time starts again after it
            schedule(timeoutNanos);
            return;
        }
        ctx.close();
    }

    private boolean responseStillDraining() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return out != null && out.totalPendingWriteBytes() > 0;
    }

    private void schedule(long delayNanos) {
        pending = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
