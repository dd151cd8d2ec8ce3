package io.hubgate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real websocket upstream on any path: sends {@code connected} after the handshake, answers each text
 * message {@code m} with {@code echo:<path>:m}, to {@code push:<n>} with n server-initiated messages, and
 * to {@code close-tcp} by closing the connection.
 */
public final class WebSocketBackend implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    public final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    public final ConcurrentLinkedQueue<String> handshakeUris = new ConcurrentLinkedQueue<>();

    public WebSocketBackend() {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/").checkStartsWith(true).build()),
                                new Echo());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private String path = "?";

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
                path = hs.requestUri();
                handshakeUris.add(path);
                ctx.writeAndFlush(new TextWebSocketFrame("connected"));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String text = frame.text();
            received.add(text);
            if (text.equals("close-tcp")) {
                ctx.close(); // drop the TCP connection without a close frame
                return;
            }
            if (text.startsWith("push:")) {
                int n = Integer.parseInt(text.substring(5));
                for (int i = 0; i < n; i++) {
                    ctx.write(new TextWebSocketFrame("pushed:" + i));
                }
                ctx.flush();
                return;
            }
            ctx.writeAndFlush(new TextWebSocketFrame("echo:" + path + ":" + text));
        }
    }
}
