package io.hubgate.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;

/** Creates the TLS handler for a connection to an {@code https://} target (SNI and verification included). */
@FunctionalInterface
public interface UpstreamTlsFactory {
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port);
}
