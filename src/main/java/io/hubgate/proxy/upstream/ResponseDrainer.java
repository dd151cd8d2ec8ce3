package io.hubgate.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the rest of a response whose client has gone away, then puts the connection back in the pool.
 *
 * <p>Browsers cancel requests all the time (a page left, a tab closed), and a load generator closes its connections
 * with requests in flight at the end of every run. Closing the upstream connection of each such exchange means a
 * new connection to the target for one of the next requests, on the request path. Reading what is left is cheaper
 * as long as it is little: at most {@link #MAX_BYTES} more body bytes within {@link #MAX_MILLIS}; past either, or
 * if the response turns out not to be reusable, the connection is closed as before. Runs on the connection's
 * event loop, like every {@link UpstreamListener}.
 */
final class ResponseDrainer implements UpstreamListener {

    static final long MAX_BYTES = 64 * 1024;
    static final long MAX_MILLIS = 2_000;

    private final UpstreamConnector connector;
    private final Channel upstream;
    private final ScheduledFuture<?> deadline;
    private boolean headRead;
    private boolean interim;
    private long bytes;
    private boolean done;

    private ResponseDrainer(UpstreamConnector connector, Channel upstream, boolean headRead) {
        this.connector = connector;
        this.upstream = upstream;
        this.headRead = headRead;
        this.deadline = upstream.eventLoop().schedule(this::giveUp, MAX_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes over {@code upstream}, whose request was sent in full. {@code headRead}: the response's status line
     * and headers have been read already, and they allow the connection to be reused.
     */
    static void start(UpstreamConnector connector, Channel upstream, boolean headRead) {
        UpstreamHandler handler = upstream.attr(UpstreamConnector.HANDLER).get();
        if (handler == null || !upstream.isActive()) {
            UpstreamConnector.discard(upstream);
            return;
        }
        handler.attach(new ResponseDrainer(connector, upstream, headRead));
        upstream.read();
    }

    @Override
    public void upstreamRead(Channel ch, Object msg) {
        try {
            if (done) {
                return;
            }
            if (msg instanceof HttpResponse response) {
                int code = response.status().code();
                interim = code >= 100 && code < 200; // 100 Continue, 103 Early Hints: the real response follows
                if (!interim && !reusable(response)) {
                    giveUp();
                    return;
                }
                headRead = headRead || !interim;
            }
            if (msg instanceof HttpContent content) {
                bytes += content.content().readableBytes();
                if (bytes > MAX_BYTES) {
                    giveUp();
                    return;
                }
                if (content instanceof LastHttpContent) {
                    if (interim) {
                        interim = false;
                    } else if (headRead) {
                        finish();
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Keep-alive and framed by its length or chunks: its end can be found without waiting for a close. */
    private static boolean reusable(HttpResponse response) {
        return HttpUtil.isKeepAlive(response)
                && (HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response)
                || response.status().code() == 204 || response.status().code() == 304);
    }

    @Override
    public void upstreamReadComplete(Channel ch) {
        if (!done) {
            ch.read();
        }
    }

    @Override
    public void upstreamWritabilityChanged(Channel ch) {
        // nothing is written from here on
    }

    @Override
    public void upstreamClosed(Channel ch, Throwable cause) {
        done = true;
        deadline.cancel(false);
    }

    @Override
    public void upstreamIdle(Channel ch) {
        giveUp();
    }

    private void finish() {
        done = true;
        deadline.cancel(false);
        connector.release(upstream);
        connector.drained.increment();
    }

    private void giveUp() {
        if (!done) {
            done = true;
            deadline.cancel(false);
            UpstreamConnector.discard(upstream);
        }
    }
}
