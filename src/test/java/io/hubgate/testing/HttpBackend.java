package io.hubgate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real HTTP upstream for tests, streaming (never aggregating) request bodies. Behaviour by path
 * (the markers may follow any prefix):
 * <ul>
 *   <li>{@code /status/<code>}: answers that status (with an echo body unless 204/304);</li>
 *   <li>{@code /redirect?to=<url>}: 301 with that Location;</li>
 *   <li>{@code /download/<n>}: n bytes of 'x', with Content-Length ({@code /download-chunked/<n>}: chunked);</li>
 *   <li>{@code /slow/<ms>}: headers after ms milliseconds;</li>
 *   <li>{@code /reset}: closes the connection without answering;</li>
 *   <li>{@code /error-echo/…?url=u}: 200 {@code text/plain} with body u (CHP's error-target fixture);</li>
 *   <li>anything else: 200 JSON echo {@code {name, method, url, headers, bodyLength}} (body counted, not kept).</li>
 * </ul>
 */
public final class HttpBackend implements AutoCloseable {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    public final AtomicLong connections = new AtomicLong();
    private final io.netty.channel.group.ChannelGroup children =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);
    public final ConcurrentLinkedQueue<String> seenUrls = new ConcurrentLinkedQueue<>();

    public HttpBackend(String name) {
        this(name, null);
    }

    public HttpBackend(String name, SslContext tls) {
        this(name, tls, null);
    }

    /** A backend listening on a UNIX domain socket at {@code socket} (for {@code http+unix://} targets). */
    public static HttpBackend onUnixSocket(String name, java.nio.file.Path socket) {
        return new HttpBackend(name, null, socket);
    }

    private HttpBackend(String name, SslContext tls, java.nio.file.Path socket) {
        this.name = name;
        server = new ServerBootstrap().group(group)
                .channel(socket == null ? NioServerSocketChannel.class
                        : io.netty.channel.socket.nio.NioServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        children.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(new io.netty.handler.codec.http.HttpDecoderConfig()
                                .setMaxHeaderSize(65536).setMaxInitialLineLength(65536)), new Handler());
                    }
                })
                .bind(socket == null ? new InetSocketAddress("127.0.0.1", 0)
                        : java.net.UnixDomainSocketAddress.of(socket)).syncUninterruptibly().channel();
    }

    /** Closes every open connection to this backend (the server keeps listening). */
    public void closeConnections() {
        children.close().syncUninterruptibly();
    }

    /** Connections to this backend that are open now. */
    public int openConnections() {
        return children.size();
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

    private final class Handler extends ChannelInboundHandlerAdapter {
        private HttpRequest request;
        private long bodyLength;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    request = r;
                    bodyLength = 0;
                    seenUrls.add(r.uri());
                    if (r.uri().endsWith("/reset")) {
                        ctx.close();
                        request = null;
                        return;
                    }
                }
                if (msg instanceof HttpContent c && request != null) {
                    bodyLength += c.content().readableBytes();
                    if (c instanceof LastHttpContent) {
                        respond(ctx, request, bodyLength);
                        request = null;
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        /** Behaviour markers may follow any prefix (a route's path is usually forwarded in front of them). */
        private void respond(ChannelHandlerContext ctx, HttpRequest r, long bodyLength) {
            String uri = r.uri();
            boolean keepAlive = HttpUtil.isKeepAlive(r);
            int at;
            if ((at = uri.indexOf("/download-chunked/")) >= 0 || (at = uri.indexOf("/download/")) >= 0) {
                String rest = uri.substring(at + 1);
                long n = Long.parseLong(rest.substring(rest.indexOf('/') + 1));
                download(ctx, n, rest.startsWith("download-chunked/"), keepAlive);
                return;
            }
            if ((at = uri.indexOf("/slow/")) >= 0) {
                long ms = Long.parseLong(uri.substring(at + 6));
                ctx.executor().schedule(() -> send(ctx, r, HttpResponseStatus.OK, bodyLength, null),
                        ms, TimeUnit.MILLISECONDS);
                return;
            }
            if ((at = uri.indexOf("/redirect?to=")) >= 0) {
                send(ctx, r, HttpResponseStatus.MOVED_PERMANENTLY, bodyLength,
                        java.net.URLDecoder.decode(uri.substring(at + 13), StandardCharsets.UTF_8));
                return;
            }
            if (uri.contains("/error-echo/")) {
                // CHP's error-target fixture: text/plain body = the url query parameter
                String url = new io.netty.handler.codec.http.QueryStringDecoder(uri).parameters()
                        .getOrDefault("url", java.util.List.of("")).get(0);
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(url, StandardCharsets.UTF_8));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                HttpUtil.setContentLength(resp, resp.content().readableBytes());
                ctx.writeAndFlush(resp);
                return;
            }
            HttpResponseStatus status = HttpResponseStatus.OK;
            if ((at = uri.indexOf("/status/")) >= 0) {
                status = HttpResponseStatus.valueOf(Integer.parseInt(uri.substring(at + 8, at + 11)));
            }
            send(ctx, r, status, bodyLength, null);
        }

        private void send(ChannelHandlerContext ctx, HttpRequest r, HttpResponseStatus status, long bodyLength,
                          String location) {
            ObjectNode echo = MAPPER.createObjectNode();
            echo.put("name", name);
            echo.put("method", r.method().name());
            echo.put("url", r.uri());
            echo.put("bodyLength", bodyLength);
            ObjectNode headers = echo.putObject("headers");
            for (Map.Entry<String, String> h : r.headers()) {
                String key = h.getKey().toLowerCase(java.util.Locale.ROOT);
                headers.put(key, headers.has(key) ? headers.get(key).asString() + ", " + h.getValue() : h.getValue());
            }
            boolean noBody = status.code() == 204 || status.code() == 304;
            ByteBuf body = noBody ? Unpooled.EMPTY_BUFFER
                    : Unpooled.copiedBuffer(MAPPER.writeValueAsString(echo), StandardCharsets.UTF_8);
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            if (!noBody) {
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                HttpUtil.setContentLength(resp, body.readableBytes());
            }
            if (location != null) {
                resp.headers().set(HttpHeaderNames.LOCATION, location);
            }
            int hint = r.uri().indexOf("/keep-alive-hint/"); // announce an idle timeout, as node.js does
            if (hint >= 0) {
                resp.headers().set(HttpHeaderNames.KEEP_ALIVE, "timeout=" + r.uri().substring(hint + 17));
            }
            boolean keepAlive = HttpUtil.isKeepAlive(r);
            if (!keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            var f = ctx.writeAndFlush(resp);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Writes n bytes in 64 KiB chunks, respecting the channel's writability (a real streaming server). */
        private void download(ChannelHandlerContext ctx, long n, boolean chunked, boolean keepAlive) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            if (chunked) {
                HttpUtil.setTransferEncodingChunked(head, true);
            } else {
                HttpUtil.setContentLength(head, n);
            }
            ctx.write(head);
            new Object() {
                long left = n;

                void pump() {
                    while (left > 0 && ctx.channel().isWritable()) {
                        int size = (int) Math.min(64 * 1024, left);
                        ByteBuf chunk = ctx.alloc().buffer(size);
                        chunk.writeBytes(CHUNK, 0, size);
                        left -= size;
                        ctx.write(new DefaultHttpContent(chunk));
                    }
                    if (left == 0) {
                        var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                        if (!keepAlive) {
                            f.addListener(ChannelFutureListener.CLOSE);
                        }
                        return;
                    }
                    ctx.flush();
                    ctx.channel().eventLoop().execute(() -> {
                        if (ctx.channel().isWritable()) {
                            pump();
                        } else {
                            ctx.channel().closeFuture();
                            waitWritable();
                        }
                    });
                }

                void waitWritable() {
                    ctx.executor().schedule(() -> {
                        if (!ctx.channel().isActive()) {
                            return;
                        }
                        if (ctx.channel().isWritable()) {
                            pump();
                        } else {
                            waitWritable();
                        }
                    }, 1, TimeUnit.MILLISECONDS);
                }
            }.pump();
        }
    }

    private static final byte[] CHUNK = new byte[64 * 1024];

    static {
        java.util.Arrays.fill(CHUNK, (byte) 'x');
    }
}
