package io.hubgate.proxy.upstream;

import io.netty.channel.Channel;

/**
 * Receives what happens on an upstream connection while it serves one exchange. Implemented by the
 * client-side handler, which owns the exchange's state; every call arrives on the shared event loop.
 */
public interface UpstreamListener {

    /** An {@code HttpObject} (or, after a websocket upgrade, a raw {@code ByteBuf}); ownership passes. */
    void upstreamRead(Channel upstream, Object msg);

    void upstreamReadComplete(Channel upstream);

    void upstreamWritabilityChanged(Channel upstream);

    /** The connection closed or failed; {@code cause} is null for a plain close. */
    void upstreamClosed(Channel upstream, Throwable cause);

    /** {@code --proxy-timeout} expired with no I/O on the connection. */
    void upstreamIdle(Channel upstream);
}
