package io.hubgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

/**
 * Builds the pipeline of a client connection on the public listener.
 *
 * <pre>
 * [tls: SslHandler] → obs-fold: ObsFoldGuard → http: HttpServerCodec → keep-alive: ClientTimeouts → [timeout: ClientTimeouts]
 *     → proxy: ClientToProxyHandler
 * </pre>
 *
 * Limits (Q23): request line and header section up to 16 KiB each, as Node's default; longer lines get
 * 414, larger header sections 431. Bodies are streamed, never limited.
 */
public final class ProxyChannelInitializer extends ChannelInitializer<Channel> {

    static final int MAX_INITIAL_LINE = 16 * 1024;
    static final int MAX_HEADER_SIZE = 16 * 1024;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

    private final ProxyContext px;
    private final SslContext tls;

    public ProxyChannelInitializer(ProxyContext px, SslContext tls) {
        this.px = px;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setAutoRead(false);
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setValidateHeaders(true);
        p.addLast("obs-fold", new ObsFoldGuard());
        p.addLast("http", new HttpServerCodec(decoder));
        if (px.config.timeout() != null) {
            p.addLast("timeout", new ClientTimeouts(px.config.timeout().toMillis(), ClientTimeouts.REQUEST_IDLE));
        }
        p.addLast("proxy", new ClientToProxyHandler(px));
    }

    /** After a websocket's 101: no HTTP codec and no idle timeouts on the client connection. */
    static void switchToRawRelay(ChannelPipeline p) {
        for (String name : new String[] {"obs-fold", "http", "timeout"}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}
