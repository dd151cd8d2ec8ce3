package io.hubgate.proxy.upstream;

import io.hubgate.routing.Target;
import io.hubgate.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens and pools HTTP/1.1 connections to route targets.
 *
 * <p>Pools are per event loop (a {@link FastThreadLocal}): a client connection and the upstream
 * connections serving it share one thread, so acquiring and releasing needs no locks and no hand-off
 * between threads. A connection goes back to the pool only after a complete exchange; an idle pooled
 * connection that the server closes is dropped at once. One idle longer than its limit (the configured
 * upstream keep-alive timeout, or less if the server announced a shorter {@code Keep-Alive: timeout}) is
 * never reused, and a timer on each event loop closes it in the background: a burst of requests after a
 * quiet spell then opens fresh connections instead of first closing the stale ones on its own time.
 */
public final class UpstreamConnector {

    /** Default for how long a pooled connection may idle (nginx's upstream {@code keepalive_timeout}). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** The background sweep runs at least this often. */
    private static final long MAX_SWEEP_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_IDLE_PER_TARGET = 256;
    private static final AttributeKey<String> POOL_KEY = AttributeKey.valueOf("hubgate.poolKey");
    static final AttributeKey<UpstreamHandler> HANDLER = AttributeKey.valueOf("hubgate.upstreamHandler");

    private final Transport transport;
    private final UpstreamTlsFactory tls;
    private final Duration proxyTimeout;
    private final int connectTimeoutMillis;
    private final long idleTimeoutNanos;
    private final long sweepPeriodNanos;
    /** Connections put back in the pool after their aborted exchange's response was read to its end. */
    final LongAdder drained = new LongAdder();
    private final FastThreadLocal<LoopPools> pools = new FastThreadLocal<>() {
        @Override
        protected LoopPools initialValue() {
            return new LoopPools();
        }
    };

    /** One event loop's idle connections, by target; only touched on that loop. */
    private static final class LoopPools {
        final Map<String, ArrayDeque<Channel>> byTarget = new HashMap<>();
        boolean sweeping;

        ArrayDeque<Channel> get(String key) {
            return byTarget.get(key);
        }
    }

    public UpstreamConnector(Transport transport, UpstreamTlsFactory tls, Duration proxyTimeout,
                             Duration connectTimeout, Duration idleTimeout) {
        this.transport = transport;
        this.tls = tls;
        this.proxyTimeout = proxyTimeout;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.sweepPeriodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(MAX_SWEEP_PERIOD_NANOS, idleTimeoutNanos / 2));
    }

    /**
     * A pooled idle connection to {@code target} on the calling event loop, attached to {@code listener},
     * or null if none is available. Must be called on {@code loop}.
     */
    public Channel pollIdle(Target target, UpstreamListener listener) {
        ArrayDeque<Channel> idle = pools.get().get(target.poolKey());
        if (idle == null) {
            return null;
        }
        long now = System.nanoTime();
        Channel ch;
        while ((ch = idle.pollLast()) != null) { // most recently used first: the warmest connection
            UpstreamHandler handler = ch.attr(HANDLER).get();
            long releasedAt = handler.releasedAt;
            handler.releasedAt = 0;
            if (!ch.isActive() || releasedAt == 0 || now - releasedAt > handler.idleLimitNanos) {
                ch.close();
                continue;
            }
            handler.attach(listener);
            return ch;
        }
        return null;
    }

    /** Opens a new connection on {@code loop}; the listener is attached once the future succeeds. */
    public ChannelFuture connect(EventLoop loop, Target target, UpstreamListener listener) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel(target.isUnix()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (target.isTls()) {
                            p.addLast("tls", tls.newHandler(ch.alloc(), target.host(), target.port()));
                        }
                        p.addLast("http", new HttpClientCodec(16 * 1024, 64 * 1024, 64 * 1024));
                        if (proxyTimeout != null) {
                            p.addLast("proxy-timeout",
                                    new IdleStateHandler(0, 0, proxyTimeout.toMillis(), TimeUnit.MILLISECONDS));
                        }
                        UpstreamHandler handler = new UpstreamHandler(idleTimeoutNanos);
                        handler.attach(listener);
                        ch.attr(HANDLER).set(handler); // found per request without walking the pipeline
                        p.addLast("upstream", handler);
                    }
                });
        if (!target.isUnix()) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        SocketAddress address = target.isUnix()
                ? transport.unixAddress(Path.of(target.socketPath()))
                : InetSocketAddress.createUnresolved(target.host(), target.port());
        ChannelFuture f = b.connect(address);
        Channel ch = f.channel();
        ch.attr(POOL_KEY).set(target.poolKey());
        // Once per connection: if it dies while idle in the pool, take it out.
        ch.closeFuture().addListener((ChannelFutureListener) closed -> {
            ArrayDeque<Channel> idle = pools.get().get(target.poolKey());
            if (idle != null) {
                idle.remove(ch);
            }
        });
        return f;
    }

    /**
     * Returns a connection whose exchange completed cleanly (request fully sent, response fully read,
     * both keep-alive). Must be called on the connection's event loop.
     */
    public void release(Channel ch) {
        UpstreamHandler handler = ch.attr(HANDLER).get();
        String key = ch.attr(POOL_KEY).get();
        if (handler == null || key == null || !ch.isActive() || handler.idleLimitNanos <= 0) {
            ch.close();
            return;
        }
        handler.detach();
        LoopPools loop = pools.get();
        ArrayDeque<Channel> idle = loop.byTarget.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (idle.size() >= MAX_IDLE_PER_TARGET) {
            ch.close();
            return;
        }
        if (!loop.sweeping) {
            loop.sweeping = true;
            ch.eventLoop().scheduleWithFixedDelay(() -> sweep(loop), sweepPeriodNanos, sweepPeriodNanos,
                    TimeUnit.NANOSECONDS);
        }
        handler.releasedAt = System.nanoTime(); // a field, not an attribute: no boxed Long per request
        idle.addLast(ch);
        ch.read(); // watch the idle connection: a close (or stray bytes) from the server is noticed at once
    }

    /** Closes this loop's pooled connections that idled past their limit, and forgets empty pools. */
    private static void sweep(LoopPools loop) {
        long now = System.nanoTime();
        List<Channel> expired = null;
        for (Iterator<ArrayDeque<Channel>> targets = loop.byTarget.values().iterator(); targets.hasNext(); ) {
            ArrayDeque<Channel> idle = targets.next();
            for (Iterator<Channel> it = idle.iterator(); it.hasNext(); ) {
                Channel ch = it.next();
                UpstreamHandler handler = ch.attr(HANDLER).get();
                if (!ch.isActive() || handler == null || now - handler.releasedAt > handler.idleLimitNanos) {
                    it.remove();
                    if (expired == null) {
                        expired = new ArrayList<>();
                    }
                    expired.add(ch);
                }
            }
            if (idle.isEmpty()) {
                targets.remove();
            }
        }
        if (expired != null) {
            for (Channel ch : expired) { // after iterating: a close removes the channel from its pool too
                ch.close();
            }
        }
    }

    /**
     * For an exchange whose client went away after its request had been sent in full: reads the rest of the
     * response (a little, within a deadline; {@link ResponseDrainer}) and then pools the connection, else closes
     * it. {@code headRead}: the response's head has been read and allows reuse. Must be called on the
     * connection's event loop.
     */
    public void drainAndRelease(Channel ch, boolean headRead) {
        if (idleTimeoutNanos <= 0) {
            discard(ch);
            return;
        }
        ResponseDrainer.start(this, ch, headRead);
    }

    /** How many connections {@link #drainAndRelease} has put back in the pool. */
    public long drainedConnections() {
        return drained.sum();
    }

    /** Detaches a connection from its exchange and closes it (errors, websockets, non-reusable responses). */
    public static void discard(Channel ch) {
        UpstreamHandler handler = ch.attr(HANDLER).get();
        if (handler != null) {
            handler.detach();
        }
        ch.close();
    }

    /** Removes the HTTP codec and timeout after a websocket upgrade: from now on the bytes are relayed raw. */
    public static void switchToRawRelay(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (p.get("proxy-timeout") != null) {
            p.remove("proxy-timeout");
        }
        if (p.get("http") != null) {
            p.remove("http");
        }
    }
}
