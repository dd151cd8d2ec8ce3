package io.hubgate.training;

import io.hubgate.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The upstream of the training run: a loopback HTTP server that answers every request with a fixed body (64 B,
 * or 100 KiB under {@code /big}, as the benchmark's backend does) and turns a websocket upgrade into a raw echo
 * of whatever bytes follow. The proxy relays websocket frames without decoding them, so an echo of the bytes
 * exercises its relay exactly as a real server's echo would.
 */
final class TrainingBackend implements AutoCloseable {

    static final int SMALL = 64;
    static final int BIG = 100 * 1024;
    private static final ByteBuf SMALL_BODY = body(SMALL);
    private static final ByteBuf BIG_BODY = body(BIG);

    private final EventLoopGroup group;
    private final Channel server;

    private TrainingBackend(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    static TrainingBackend start(Transport transport) {
        EventLoopGroup group = transport.newGroup(1, "training-backend");
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel(false))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec()).addLast("app", new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        return new TrainingBackend(group, server);
    }

    String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ByteBuf body(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)).asReadOnly();
    }

    /** Answers once the request's last content arrived, so request bodies are read through. */
    private static final class Responder extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
            }
            if (!(msg instanceof LastHttpContent) || request == null) {
                return;
            }
            HttpRequest r = request;
            request = null;
            if (r.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                upgrade(ctx);
                return;
            }
            ByteBuf body = r.uri().startsWith("/big") ? BIG_BODY : SMALL_BODY;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    body.duplicate());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            HttpUtil.setContentLength(response, body.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(r);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(response).addListener(f -> ctx.close());
            }
        }

        /** Called at the upgrade request's end, so that the codec has nothing left to hand on. */
        private void upgrade(ChannelHandlerContext ctx) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.SWITCHING_PROTOCOLS);
            response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                    // Not the RFC 6455 digest of the key: nothing on this path checks it, and computing it
                    // would put a SHA-1 provider into the cache that the proxy itself never loads.
                    .set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, "training");
            ctx.writeAndFlush(response);
            ctx.pipeline().remove("http");
            ctx.pipeline().replace(this, "echo", new Echo());
        }
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }
    }
}
