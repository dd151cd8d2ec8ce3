package io.hubgate.training;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One client of the training load: sends the requests a supplier hands out, one at a time, until the supplier
 * runs dry or the deadline passes. With {@code keepAlive} every request reuses the connection, as browsers and
 * JupyterHub do; without, each request opens a new connection and asks for {@code Connection: close}, so the
 * proxy's accept and close paths get their share of the profile.
 */
final class RequestLoop {

    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final Supplier<FullHttpRequest> requests;
    private final boolean keepAlive;
    private final long deadlineNanos;
    private final StatusTally tally;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private RequestLoop(Bootstrap bootstrap, SocketAddress address, Supplier<FullHttpRequest> requests,
                        boolean keepAlive, long deadlineNanos, StatusTally tally) {
        this.bootstrap = bootstrap;
        this.address = address;
        this.requests = requests;
        this.keepAlive = keepAlive;
        this.deadlineNanos = deadlineNanos;
        this.tally = tally;
    }

    /** Starts the loop; the future completes when it has stopped (never exceptionally: failures are tallied). */
    static CompletableFuture<Void> start(Bootstrap bootstrap, SocketAddress address,
                                         Supplier<FullHttpRequest> requests, boolean keepAlive,
                                         long deadlineNanos, StatusTally tally) {
        RequestLoop loop = new RequestLoop(bootstrap, address, requests, keepAlive, deadlineNanos, tally);
        loop.connect();
        return loop.done;
    }

    private void connect() {
        if (System.nanoTime() >= deadlineNanos) {
            done.complete(null);
            return;
        }
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new Connection());
            }
        }).connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                tally.failure();
                done.complete(null); // the proxy is not there: nothing more to learn from this loop
            }
        });
    }

    /** One connection of the loop. */
    private final class Connection extends SimpleChannelInboundHandler<HttpObject> {
        private HttpResponse response;
        private boolean finished;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            sendNext(ctx);
        }

        private void sendNext(ChannelHandlerContext ctx) {
            FullHttpRequest request = System.nanoTime() < deadlineNanos ? requests.get() : null;
            if (request == null) {
                finished = true;
                ctx.close();
                done.complete(null);
                return;
            }
            if (!keepAlive) {
                request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ctx.writeAndFlush(request, ctx.voidPromise());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                response = r;
            }
            if (msg instanceof LastHttpContent && response != null) {
                tally.response(response.status().code());
                boolean reuse = keepAlive && HttpUtil.isKeepAlive(response);
                response = null;
                if (reuse) {
                    sendNext(ctx);
                } else {
                    finished = true;
                    ctx.close();
                    connect();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!finished) {
                tally.failure(); // closed before the response ended
                connect();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
