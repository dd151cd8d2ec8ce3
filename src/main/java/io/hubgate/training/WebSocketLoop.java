package io.hubgate.training;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A websocket client of the training load: upgrades through the proxy, then sends a small masked text frame
 * and waits for its echo, as a notebook's kernel channel does, until it has sent {@code messages} frames or the
 * deadline has passed; then it closes.
 */
final class WebSocketLoop extends ChannelInboundHandlerAdapter {

    /** A masked text frame: FIN + text, mask bit + 16-byte payload, the mask, then the masked payload. */
    private static final byte[] FRAME = frame("training message", new byte[] {1, 2, 3, 4});

    private final long deadlineNanos;
    private final StatusTally tally;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int messagesLeft;
    private boolean refused;
    private boolean upgraded;
    private int pendingEchoBytes;

    private WebSocketLoop(int messages, long deadlineNanos, StatusTally tally) {
        this.messagesLeft = messages;
        this.deadlineNanos = deadlineNanos;
        this.tally = tally;
    }

    static CompletableFuture<Void> start(Bootstrap bootstrap, SocketAddress address, String path, int messages,
                                         long deadlineNanos, StatusTally tally) {
        WebSocketLoop loop = new WebSocketLoop(messages, deadlineNanos, tally);
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("http", new HttpClientCodec()).addLast("ws", loop);
            }
        }).connect(address).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                tally.failure();
                loop.done.complete(null);
            } else {
                FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
                upgrade.headers().set(HttpHeaderNames.HOST, "training")
                        .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
                        .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
                f.channel().writeAndFlush(upgrade);
            }
        });
        return loop.done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!upgraded) {
                if (msg instanceof HttpResponse r) {
                    tally.response(r.status().code());
                    refused = r.status().code() != 101;
                }
                if (msg instanceof LastHttpContent) {
                    if (refused) {
                        ctx.close(); // the tally has the status
                        return;
                    }
                    upgraded = true;
                    ctx.pipeline().remove("http");
                    send(ctx);
                }
                return;
            }
            pendingEchoBytes -= ((ByteBuf) msg).readableBytes();
            if (pendingEchoBytes <= 0) {
                send(ctx);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void send(ChannelHandlerContext ctx) {
        if (messagesLeft-- == 0 || System.nanoTime() >= deadlineNanos) {
            upgraded = false;
            ctx.close();
            return;
        }
        pendingEchoBytes = FRAME.length;
        ctx.writeAndFlush(ctx.alloc().buffer(FRAME.length).writeBytes(FRAME), ctx.voidPromise());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (upgraded) {
            tally.failure(); // closed by the other side before the deadline
        }
        done.complete(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static byte[] frame(String text, byte[] mask) {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
