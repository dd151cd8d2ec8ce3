package io.hubgate.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * Real TLS over loopback: a Netty echo server behind a server {@link SslContext}, and a client that
 * handshakes, sends a message and waits for the echo. Every wait has a deadline.
 */
final class TlsLoopback implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** What one exchange produced. {@code failure} is the first error the client saw, if any. */
    record Result(String received, Throwable failure, String protocol, String cipherSuite, String peerSubject) {
        boolean echoed(String message) {
            return message.equals(received);
        }
    }

    /** Outcome of the server side of one handshake. */
    record ServerSide(boolean success, Throwable cause, String peerSubject, List<String> requestedServerNames) {
    }

    final class Server implements AutoCloseable {
        private final Channel channel;
        private final BlockingQueue<ServerSide> handshakes;

        private Server(Channel channel, BlockingQueue<ServerSide> handshakes) {
            this.channel = channel;
            this.handshakes = handshakes;
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        ServerSide nextHandshake() throws InterruptedException {
            ServerSide outcome = handshakes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (outcome == null) {
                throw new AssertionError("no server-side handshake outcome within " + TIMEOUT_SECONDS + " s");
            }
            return outcome;
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
        }
    }

    Server startServer(SslContext context) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class);
        BlockingQueue<ServerSide> handshakes = new LinkedBlockingQueue<>();
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                SslHandler ssl = context.newHandler(ch.alloc());
                ssl.handshakeFuture().addListener(f -> {
                    if (f.isSuccess()) {
                        handshakes.add(new ServerSide(true, null, peerSubject(ssl.engine().getSession()),
                                requestedServerNames(ssl.engine().getSession())));
                    } else {
                        handshakes.add(new ServerSide(false, f.cause(), null, List.of()));
                    }
                });
                ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
            }
        });
        Channel channel = bootstrap.bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return new Server(channel, handshakes);
    }

    /** Connects to {@code 127.0.0.1:port}, handshakes with the handler the factory makes, sends, awaits the echo. */
    Result exchange(int port, Function<ByteBufAllocator, SslHandler> sslFactory, String message) throws Exception {
        CompletableFuture<Result> result = new CompletableFuture<>();
        StringBuilder received = new StringBuilder();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = sslFactory.apply(ch.alloc());
                        ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent done) {
                                    if (done.isSuccess()) {
                                        ctx.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
                                    } else {
                                        finish(ctx, done.cause());
                                    }
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                try {
                                    received.append(buf.toString(StandardCharsets.UTF_8));
                                } finally {
                                    buf.release();
                                }
                                if (received.length() >= message.length()) {
                                    finish(ctx, null);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                finish(ctx, cause);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                finish(ctx, new IllegalStateException("connection closed"));
                            }

                            private void finish(ChannelHandlerContext ctx, Throwable failure) {
                                SSLSession session = ssl.engine().getSession();
                                result.complete(new Result(received.toString(), failure, session.getProtocol(),
                                        session.getCipherSuite(), peerSubject(session)));
                                ctx.close();
                            }
                        });
                    }
                });
        Channel channel = bootstrap.connect("127.0.0.1", port).syncUninterruptibly().channel();
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    private static List<String> requestedServerNames(SSLSession session) {
        List<String> names = new ArrayList<>();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    names.add(host.getAsciiName());
                }
            }
        }
        return names;
    }

    private static String peerSubject(SSLSession session) {
        try {
            return session.getPeerPrincipal().getName();
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
