package io.hubgate.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between the HTTP codec and the aggregator. A request that the API refuses on its head alone
 * (404, 405, 403; see {@link ApiAccess}) is passed on at once with an empty body, and the body the client
 * is still sending is discarded as it arrives. So an unauthenticated client can never make Hubgate buffer
 * a body (Q12: authenticate first), and it gets its answer without sending the body at all — no
 * {@code 100 Continue} either.
 */
final class RefusedBodyDiscarder extends ChannelInboundHandlerAdapter {

    private final ApiAccess access;
    private boolean discarding;

    RefusedBodyDiscarder(ApiAccess access) {
        this.access = access;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            discarding = false;
            if (req.decoderResult().isSuccess() && access.refusesHead(req)) {
                HttpRequest head = new DefaultHttpRequest(req.protocolVersion(), req.method(), req.uri(),
                        req.headers().copy());
                head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                head.headers().remove(HttpHeaderNames.EXPECT);
                discarding = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                ctx.fireChannelRead(head);
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
        } else if (discarding && msg instanceof HttpContent content) {
            if (content instanceof LastHttpContent) {
                discarding = false;
            }
            content.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
