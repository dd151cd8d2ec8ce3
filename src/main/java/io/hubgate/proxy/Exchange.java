package io.hubgate.proxy;

import io.hubgate.routing.Route;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The state of one request/response exchange on a client connection (or of one websocket, from its
 * handshake to its close). Owned by {@link ClientToProxyHandler} and only touched on its event loop.
 */
final class Exchange {

    final HttpRequest request;
    final String logUri;          // request-target without the query, as CHP logs it
    final long startNanos = System.nanoTime();
    final boolean websocket;
    boolean clientKeepAlive;
    boolean inFlightCounted;

    Route route;                  // null for local responses (errors, health)
    HttpRequest upstreamRequest;
    Channel upstream;
    boolean connecting;
    boolean reusedConnection;
    boolean replayable;           // no body and idempotent: may be retried once on a fresh connection
    boolean retried;
    final ArrayDeque<Object> pendingToUpstream = new ArrayDeque<>(4);

    boolean requestComplete;
    boolean responseStarted;
    boolean responseComplete;
    boolean interimResponse;      // a 1xx (not 101) was relayed; its empty LastHttpContent is skipped
    boolean upstreamKeepAlive;
    boolean readUntilClose;       // upstream response has no framing: it ends when the upstream closes
    boolean local;                // Hubgate answered itself (error page, health check)
    boolean discarding;           // the rest of the request body is dropped (after a local answer)
    long discardedBytes;
    int status;

    boolean relaying;             // websocket: past the 101, bytes are spliced both ways

    Exchange(HttpRequest request, String logUri, boolean websocket) {
        this.request = request;
        this.logUri = logUri;
        this.websocket = websocket;
    }

    void releasePending() {
        Object o;
        while ((o = pendingToUpstream.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
