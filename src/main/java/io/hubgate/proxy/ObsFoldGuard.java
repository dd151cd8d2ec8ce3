package io.hubgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Rejects obsolete line folding (a header line starting with a space or tab, RFC 9112 §5.2) with 400,
 * because Netty's decoder silently unfolds it and Q24 requires such requests never to be forwarded.
 *
 * <p>Sits in front of {@code HttpServerCodec} and scans only header sections: from the start of a
 * request to its empty line. {@link ClientToProxyHandler} re-arms it when a request's body has been read.
 * Bytes of a pipelined request that arrived together with the previous request's body are not scanned;
 * they are still parsed strictly by the codec, and Hubgate re-serialises every header it forwards, so an
 * unscanned fold can only ever reach the upstream as one plain header.
 */
final class ObsFoldGuard extends ChannelInboundHandlerAdapter {

    private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\n"
            + "Connection: close\r\n\r\nBad Request").getBytes(StandardCharsets.US_ASCII);

    private boolean scanning = true;
    private boolean atLineStart = true;
    private int lineLength;
    private int lines;
    private boolean rejected;

    /** The next bytes start a new request head. */
    void expectHeaders() {
        scanning = true;
        atLineStart = true;
        lineLength = 0;
        lines = 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (scanning && msg instanceof ByteBuf buf && !scan(buf)) {
            rejected = true;
            buf.release();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BAD_REQUEST)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Returns false on a folded header line. */
    private boolean scan(ByteBuf buf) {
        int end = buf.writerIndex();
        for (int i = buf.readerIndex(); i < end && scanning; i++) {
            byte b = buf.getByte(i);
            if (atLineStart) {
                if ((b == ' ' || b == '\t') && lines >= 1) {
                    return false;
                }
                if ((b == '\r' || b == '\n') && lines >= 1) {
                    scanning = false; // empty line: the header section is over
                    break;
                }
            }
            if (b == '\n') {
                if (lineLength > 0 || lines > 0) {
                    lines++;
                }
                atLineStart = true;
                lineLength = 0;
            } else {
                if (b != '\r') {
                    lineLength++;
                }
                atLineStart = false;
            }
        }
        return true;
    }
}
