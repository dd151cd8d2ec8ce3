package io.hubgate.lifecycle;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code --redirect-port} server: answers every request with a 301 to the same request-target on
 * HTTPS (CHP §2.6). Sits after {@code HttpServerCodec} and {@code HttpObjectAggregator}.
 *
 * <ul>
 *   <li>No usable {@code Host} header (e.g. an HTTP/1.0 request) → 400 with CHP's text.</li>
 *   <li>Otherwise → 301, {@code Location: https://<host without port>[:<port>]<request-target>}, empty body;
 *       {@code :<port>} is left out when the port is 443 (CHP keeps {@code :443} when it comes from
 *       {@code --redirect-to}; Hubgate never writes it).</li>
 * </ul>
 *
 * Differences from CHP, all on malformed input: an IPv6 literal host keeps its brackets (CHP cuts it at the
 * first ':'); an empty, repeated or syntactically invalid {@code Host} gets the 400 instead of a broken
 * {@code Location}; an absolute-form request-target contributes only its path and query.
 */
@ChannelHandler.Sharable
public final class HttpsRedirectHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final int targetPort;
    private final byte[] noHostBody;

    /** @param targetPort HTTPS port to redirect to ({@code --redirect-to}, else the proxy's {@code --port}) */
    public HttpsRedirectHandler(int targetPort) {
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("redirect target port out of range: " + targetPort);
        }
        this.targetPort = targetPort;
        this.noHostBody = ("This server is HTTPS-only on port " + targetPort
                + ", but an HTTP request was made and the host could not be determined from the request.")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            send(ctx, request, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String host = hostWithoutPort(request.headers().getAll(HttpHeaderNames.HOST));
        FullHttpResponse response;
        if (host == null) {
            ByteBuf body = request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(noHostBody);
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, noHostBody.length);
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
            response.headers().set(HttpHeaderNames.LOCATION, location(host, request.uri()));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        send(ctx, request, response, keepAlive);
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepAlive) {
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(response);
    }

    /** The {@code Location} value for a validated host (port already removed) and the raw request-target. */
    String location(String host, String requestTarget) {
        StringBuilder location = new StringBuilder("https://").append(host);
        if (targetPort != 443) {
            location.append(':').append(targetPort);
        }
        return location.append(pathAndQuery(requestTarget)).toString();
    }

    /**
     * The host part of a single, well-formed {@code Host} header value, or null when there is none:
     * a reg-name or IPv4 address (port removed), or a bracketed IPv6 literal (brackets kept).
     */
    static String hostWithoutPort(List<String> hostHeaders) {
        if (hostHeaders.size() != 1) {
            return null;
        }
        String value = hostHeaders.get(0).trim();
        String host;
        String rest;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !NetUtil.isValidIpV6Address(value.substring(1, close))) {
                return null;
            }
            host = value.substring(0, close + 1);
            rest = value.substring(close + 1);
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            rest = colon < 0 ? "" : value.substring(colon);
            if (host.isEmpty() || !isRegName(host)) {
                return null;
            }
        }
        if (!rest.isEmpty() && !rest.matches(":[0-9]{0,5}")) {
            return null;
        }
        return host;
    }

    /** RFC 3986 reg-name characters (which also cover IPv4 literals). */
    private static boolean isRegName(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~%!$&'()*+,;=".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Origin-form targets are kept verbatim; absolute-form gives its path and query; anything else "/". */
    static String pathAndQuery(String requestTarget) {
        if (requestTarget.startsWith("/")) {
            return requestTarget;
        }
        int scheme = requestTarget.indexOf("://");
        if (scheme > 0) {
            int authorityEnd = scheme + 3;
            while (authorityEnd < requestTarget.length() && "/?#".indexOf(requestTarget.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            String rest = requestTarget.substring(authorityEnd);
            int fragment = rest.indexOf('#');
            if (fragment >= 0) {
                rest = rest.substring(0, fragment);
            }
            return rest.startsWith("/") ? rest : "/" + rest;
        }
        return "/";
    }
}
