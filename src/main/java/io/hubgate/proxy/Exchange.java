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
    private String logUri;        // request-target without the query, as CHP logs it; made when first logged
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
    private ArrayDeque<Object> pendingToUpstream; // only when data arrives before the upstream is ready

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

    Exchange(HttpRequest request, boolean websocket) {
        this.request = request;
        this.websocket = websocket;
    }

    /** The request-target without its query (CHP never logs queries). */
    String logUri() {
        String u = logUri;
        if (u == null) {
            String uri = request.uri();
            int q = uri.indexOf('?');
            u = q >= 0 ? uri.substring(0, q) : uri;
            logUri = u;
        }
        return u;
    }

    /** Queues a message for the upstream until it is connected (or the websocket upgraded). */
    void queueForUpstream(Object msg) {
        if (pendingToUpstream == null) {
            pendingToUpstream = new ArrayDeque<>(4);
        }
        pendingToUpstream.add(msg);
    }

    /** The next queued message, or null. */
    Object pollPending() {
        return pendingToUpstream == null ? null : pendingToUpstream.poll();
    }

    /** True while something for the upstream is still queued here, i.e. the request has not all been sent. */
    boolean hasPendingForUpstream() {
        return pendingToUpstream != null && !pendingToUpstream.isEmpty();
    }

    void releasePending() {
        Object o;
        while ((o = pollPending()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
