package io.hubgate.proxy;

import io.hubgate.proxy.errors.ErrorTargetClient.ErrorPage;
import io.hubgate.proxy.upstream.UpstreamConnector;
import io.hubgate.proxy.upstream.UpstreamListener;
import io.hubgate.routing.RequestPath;
import io.hubgate.routing.RequestPath.MalformedPathException;
import io.hubgate.routing.Route;
import io.hubgate.routing.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of the data plane: one instance per client connection, driving one {@link Exchange}
 * at a time (chp-behaviour §4.1, §4.2).
 *
 * <pre>
 * [SslHandler] → ObsFoldGuard → HttpServerCodec → [RequestTimeout] → ClientToProxyHandler (+ KeepAliveTimer)
 * </pre>
 *
 * <p>Flow control: the client channel and every upstream channel run with auto-read off, on the same event
 * loop. The handler reads the client only while the upstream can take more, and reads the upstream only
 * while the client can take more, so a 1 GiB upload or download streams through a bounded amount of memory.
 *
 * <p>Websockets: on an upgrade request the HTTP decoder is removed at once, so that bytes the client sends
 * before the upstream's {@code 101} are queued raw instead of being parsed or lost (Q2); after the
 * {@code 101} both codecs are gone and the handler splices bytes both ways.
 */
final class ClientToProxyHandler extends ChannelInboundHandlerAdapter
        implements UpstreamListener, KeepAliveTimer.Owner {

    private static final Logger log = LoggerFactory.getLogger("hubgate.proxy");
    private static final Logger accessLog = LoggerFactory.getLogger("hubgate.access");
    private static final String HEALTH_PATH = "/_chp_healthz";
    private static final byte[] HEALTH_BODY = "{\"status\":\"OK\"}".getBytes(StandardCharsets.US_ASCII);
    /** After Hubgate answered a request itself, at most this much of its body is read and dropped. */
    private static final long MAX_DISCARD_BYTES = 256 * 1024;
    /** A host segment that can never match a route key (keys cannot contain control characters). */
    private static final String NO_HOST = "\u0000";

    private final ProxyContext px;
    private ChannelHandlerContext ctx;
    private boolean tls;
    private String clientIp;
    private Exchange ex;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>(2); // pipelined requests waiting their turn
    private boolean upstreamNeedsFlush;
    private boolean closed;
    private ObsFoldGuard obsFoldGuard;
    private KeepAliveTimer keepAlive;

    ClientToProxyHandler(ProxyContext px) {
        this.px = px;
    }

    // ---------------------------------------------------------------- client events

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.tls = ctx.pipeline().get(SslHandler.class) != null;
        this.clientIp = addressOf(ctx.channel().remoteAddress());
        this.obsFoldGuard = ctx.pipeline().get(ObsFoldGuard.class);
        px.metrics.clientConnectionOpened();
        keepAlive = new KeepAliveTimer(ctx, this, px.config.keepAliveTimeout().toNanos());
        keepAlive.start();
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        px.metrics.clientConnectionClosed();
        if (keepAlive != null) {
            keepAlive.stop();
        }
        if (ex != null) {
            abortExchange();
        }
        Object o;
        while ((o = backlog.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ex != null) {
            if (ex.websocket) {
                websocketClientData(msg);
                return;
            }
            if (ex.requestComplete) {
                backlog.add(msg); // pipelined: handled when the current exchange ends
                return;
            }
        }
        dispatch(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushUpstream();
        readClientIfWanted();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            readUpstreamIfWanted();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientTimeouts.REQUEST_IDLE) {
            if (ex != null && !ex.websocket) {
                ctx.close(); // --timeout: CHP destroys the socket without a response
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public boolean exchangeInProgress() {
        return ex != null || !backlog.isEmpty();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Client connection error: {}", cause.toString());
        ctx.close();
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (ex != null) { // a new request while the previous one is still being sent: cannot happen
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            startRequest(request);
            if (msg instanceof HttpContent content) {
                requestContent(content);
            }
        } else if (msg instanceof HttpContent content) {
            requestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---------------------------------------------------------------- starting an exchange

    private void startRequest(HttpRequest request) {
        String uri = request.uri();
        ex = new Exchange(request, isUpgrade(request));
        keepAlive.touch(ex.startNanos);
        px.inFlight.begin();
        ex.inFlightCounted = true;
        ex.clientKeepAlive = HttpUtil.isKeepAlive(request) && !px.inFlight.draining();

        String invalid = framingProblem(request);
        if (invalid != null) {
            ex.clientKeepAlive = false;
            ex.requestComplete = true; // nothing more is read from this connection
            HttpResponseStatus status = statusFor(request);
            log.warn("{} {} {}: {}", status.code(), request.method(), ex.logUri(), invalid);
            respondPlain(status, null);
            return;
        }
        if (ex.websocket) {
            startWebSocket(request);
            return;
        }
        if (uri.equals(HEALTH_PATH)) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(HEALTH_BODY));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            respondLocal(resp);
            return;
        }
        px.metrics.requestWeb();

        RequestPath path = findRoute(request);
        if (path == null) {
            return;
        }
        Route route = ex.route;
        Target target = route.target();
        String upstreamUri = upstreamUri(path, route);
        if (log.isDebugEnabled()) {
            log.debug("PROXY WEB {} to {}", ex.logUri(), target.raw());
        }
        HttpHeaders headers = request.headers();
        px.headers.toUpstream(request.method(), headers, clientIp, tls, target, false);
        ex.upstreamRequest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), upstreamUri, headers);
        HttpMethod m = request.method();
        ex.replayable = (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS)
                && !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0L;
        connectUpstream(target);
    }

    /**
     * Looks up the exchange's route (§4.3) and stores it in {@code ex.route}. Without one, the error
     * (404, or 500 for an undecodable path) is answered here and null returned.
     */
    private RequestPath findRoute(HttpRequest request) {
        long t0 = System.nanoTime();
        RequestPath path;
        try {
            path = RequestPath.parse(request.uri());
            ex.route = px.routes.lookup(lookupPath(request, path));
        } catch (MalformedPathException e) {
            fail(500, "URIError: URI malformed");
            return null;
        }
        px.metrics.findTargetForReq(System.nanoTime() - t0);
        if (ex.route == null) {
            fail(404, "");
            return null;
        }
        return path;
    }

    private String lookupPath(HttpRequest request, RequestPath path) {
        if (!px.config.hostRouting()) {
            return path.decodedPath();
        }
        String host = hostName(request.headers().get(HttpHeaderNames.HOST));
        return "/" + (host == null ? NO_HOST : host) + path.decodedPath();
    }

    private String upstreamUri(RequestPath path, Route route) {
        return path.upstreamUri(route, px.config.includePrefix(), px.config.prependPath(), px.config.hostRouting());
    }

    private void connectUpstream(Target target) {
        Exchange current = ex;
        Channel pooled = current.retried ? null : px.connector.pollIdle(target, this);
        if (pooled != null) {
            current.upstream = pooled;
            current.reusedConnection = true;
            sendRequestHead();
            return;
        }
        current.connecting = true;
        current.reusedConnection = false;
        ChannelFuture f = px.connector.connect(ctx.channel().eventLoop(), target, this);
        current.upstream = f.channel();
        f.addListener((ChannelFutureListener) done -> {
            if (ex != current) {
                return; // the client went away meanwhile; abortExchange closed the connection
            }
            current.connecting = false;
            if (!done.isSuccess()) {
                current.upstream = null;
                fail(503, connectError(done.cause(), target));
                return;
            }
            if (current.websocket) {
                sendWebSocketHandshake();
            } else {
                sendRequestHead();
            }
        });
    }

    private void sendRequestHead() {
        Channel up = ex.upstream;
        up.write(ex.upstreamRequest);
        Object o;
        while ((o = ex.pollPending()) != null) {
            up.write(o);
        }
        up.flush();
        up.read();
        readClientIfWanted();
    }

    // ---------------------------------------------------------------- request body

    private void requestContent(HttpContent content) {
        Exchange e = ex;
        if (e == null) {
            content.release(); // body of a request that was already answered and closed
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            log.warn("400 {} {}: malformed request body ({})", e.request.method(), e.logUri(),
                    content.decoderResult().cause().getMessage());
            if (!e.responseStarted) {
                e.clientKeepAlive = false;
                e.requestComplete = true;
                if (e.upstream != null) {
                    UpstreamConnector.discard(e.upstream);
                    e.upstream = null;
                }
                respondPlain(HttpResponseStatus.BAD_REQUEST, null);
            } else {
                ctx.close();
            }
            return;
        }
        boolean last = content instanceof LastHttpContent;
        int bytes = content.content().readableBytes();
        if (e.discarding) {
            e.discardedBytes += bytes;
            content.release();
            if (last) {
                e.requestComplete = true;
                e.discarding = false;
                if (obsFoldGuard != null) {
                    obsFoldGuard.expectHeaders();
                }
                maybeCompleteExchange();
            } else if (e.discardedBytes > MAX_DISCARD_BYTES) {
                e.clientKeepAlive = false;
                ctx.close();
            }
            return;
        }
        if (bytes > 0 && e.route != null) {
            touchActivity(e);
        }
        if (last) {
            e.requestComplete = true;
            if (obsFoldGuard != null) {
                obsFoldGuard.expectHeaders();
            }
        }
        if (e.upstream == null || e.connecting) {
            e.queueForUpstream(content);
        } else {
            e.upstream.write(content);
            upstreamNeedsFlush = true;
        }
        if (last && e.responseComplete) {
            maybeCompleteExchange();
        }
    }

    private void flushUpstream() {
        if (upstreamNeedsFlush) {
            upstreamNeedsFlush = false;
            if (ex != null && ex.upstream != null && !ex.connecting) {
                ex.upstream.flush();
            }
        }
    }

    private void readClientIfWanted() {
        if (closed) {
            return;
        }
        Exchange e = ex;
        if (e == null) {
            if (backlog.isEmpty()) {
                ctx.read();
            }
            return;
        }
        if (e.websocket) {
            if (e.relaying && e.upstream != null && e.upstream.isWritable()) {
                ctx.read();
            }
            return;
        }
        if (e.requestComplete) {
            return;
        }
        if (e.discarding || (e.upstream != null && !e.connecting && e.upstream.isWritable())) {
            ctx.read();
        }
    }

    private void readUpstreamIfWanted() {
        Exchange e = ex;
        if (e != null && e.upstream != null && !e.connecting && !e.responseComplete && ctx.channel().isWritable()) {
            e.upstream.read();
        }
    }

    // ---------------------------------------------------------------- upstream events

    @Override
    public void upstreamRead(Channel upstream, Object msg) {
        Exchange e = ex;
        if (e == null || upstream != e.upstream) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (e.websocket) {
            websocketUpstreamData(e, msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                upstreamBroken(e, "Parse Error: " + response.decoderResult().cause().getMessage());
                return;
            }
            int code = response.status().code();
            if (code >= 100 && code < 200) {
                e.interimResponse = true; // 100 Continue, 103 Early Hints: relay, then wait for the real one
                FullHttpResponse interim = new DefaultFullHttpResponse(e.request.protocolVersion(), response.status());
                interim.headers().set(response.headers());
                ctx.writeAndFlush(interim);
                ReferenceCountUtil.release(msg);
                return;
            }
            e.status = code;
            e.responseStarted = true;
            px.metrics.requestProxy(code);
            e.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            boolean framed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response)
                    || code == 204 || code == 304 || e.request.method() == HttpMethod.HEAD;
            e.readUntilClose = !framed;
            HttpVersion clientVersion = e.request.protocolVersion();
            if (!e.requestComplete) {
                // The upstream answered before the request body ended: finish this response, then close.
                e.clientKeepAlive = false;
            }
            if (e.readUntilClose || (HttpUtil.isTransferEncodingChunked(response) && clientVersion == HttpVersion.HTTP_1_0)) {
                if (clientVersion == HttpVersion.HTTP_1_0) {
                    response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                    e.clientKeepAlive = false; // the body ends when Hubgate closes
                } else {
                    HttpUtil.setTransferEncodingChunked(response, true);
                }
            }
            if (px.inFlight.draining()) {
                e.clientKeepAlive = false;
            }
            px.headers.toClient(response, e.clientKeepAlive, false,
                    e.request.headers().get(HttpHeaderNames.HOST), e.route.target());
            response.setProtocolVersion(clientVersion);
            if (!(msg instanceof HttpContent)) {
                // No promise to allocate and complete per message: nobody waits on it, and a failed write
                // reaches exceptionCaught, which closes the connection (the exchange ends in channelInactive).
                ctx.write(response, ctx.voidPromise());
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (e.interimResponse) {
                e.interimResponse = false;
                content.release();
                return;
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                upstreamBroken(e, "Parse Error: " + content.decoderResult().cause().getMessage());
                return;
            }
            ctx.write(content, ctx.voidPromise()); // as for the head above
            if (content instanceof LastHttpContent) {
                e.responseComplete = true;
                if (e.status < 300 && e.route != null) {
                    touchActivity(e);
                }
                maybeCompleteExchange();
            }
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void upstreamReadComplete(Channel upstream) {
        Exchange e = ex;
        ctx.flush();
        if (e != null && upstream == e.upstream) {
            if (e.websocket && e.relaying) {
                if (ctx.channel().isWritable()) {
                    upstream.read();
                }
            } else {
                readUpstreamIfWanted();
            }
        }
    }

    @Override
    public void upstreamWritabilityChanged(Channel upstream) {
        if (upstream.isWritable()) {
            readClientIfWanted();
        }
    }

    @Override
    public void upstreamClosed(Channel upstream, Throwable cause) {
        Exchange e = ex;
        if (e == null || upstream != e.upstream) {
            return;
        }
        if (e.websocket && e.relaying) {
            e.upstream = null;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (e.responseComplete) {
            return;
        }
        e.upstream = null;
        if (!e.responseStarted && !e.websocket && e.reusedConnection && e.replayable && !e.retried) {
            // A pooled connection the server had already closed: replay the bodiless request once.
            e.retried = true;
            e.queueForUpstream(LastHttpContent.EMPTY_LAST_CONTENT);
            connectUpstream(e.route.target());
            return;
        }
        upstreamBroken(e, cause == null ? "socket hang up" : describe(cause));
    }

    @Override
    public void upstreamIdle(Channel upstream) {
        Exchange e = ex;
        if (e == null || upstream != e.upstream || e.relaying) {
            return;
        }
        e.upstream = null;
        UpstreamConnector.discard(upstream);
        upstreamBroken(e, "socket hang up"); // --proxy-timeout
    }

    /** The upstream failed mid-exchange: an error page if nothing was sent yet, else cut the client off. */
    private void upstreamBroken(Exchange e, String detail) {
        if (e.upstream != null) {
            UpstreamConnector.discard(e.upstream);
            e.upstream = null;
        }
        if (!e.responseStarted) {
            fail(503, detail);
        } else if (e.readUntilClose && e.request.protocolVersion() == HttpVersion.HTTP_1_0) {
            e.responseComplete = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            log.error("{} {} {} {}", e.status, e.request.method(), e.logUri(), detail);
            ctx.close();
        }
    }

    /** Answers an error the way the exchange's kind needs it: a page for web requests, a bare status for websockets. */
    private void fail(int code, String detail) {
        if (ex.websocket) {
            websocketError(code, detail);
        } else {
            proxyError(code, detail);
        }
    }

    // ---------------------------------------------------------------- completing

    private void maybeCompleteExchange() {
        Exchange e = ex;
        if (e == null || !e.responseComplete) {
            return;
        }
        if (!e.requestComplete) {
            if (e.local) {
                e.discarding = true; // drop the rest of the body, then keep the connection
                readClientIfWanted();
                return;
            }
            e.clientKeepAlive = false;
        }
        ex = null;
        keepAlive.touch(System.nanoTime());
        endInFlight(e);
        Channel up = e.upstream;
        if (up != null) {
            e.upstream = null;
            if (e.upstreamKeepAlive && !e.readUntilClose && e.requestComplete) {
                px.connector.release(up);
            } else {
                UpstreamConnector.discard(up);
            }
        }
        if (px.accessLog && accessLog.isInfoEnabled()) {
            accessLog.info("{} {} {} {}ms", e.status, e.request.method(), e.logUri(),
                    (System.nanoTime() - e.startNanos) / 1_000_000);
        }
        if (!e.clientKeepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        Object next;
        while (ex == null && (next = backlog.poll()) != null) {
            dispatch(next);
        }
        readClientIfWanted();
    }

    private void abortExchange() {
        Exchange e = ex;
        ex = null;
        endInFlight(e);
        boolean requestSent = e.requestComplete && !e.hasPendingForUpstream();
        e.releasePending();
        if (e.upstream != null) {
            Channel up = e.upstream;
            e.upstream = null;
            // The client went away: a response that can still end on its own is read to its end and the
            // connection pooled, instead of a new connection for one of the next requests.
            if (requestSent && !e.websocket && !e.readUntilClose && !e.responseComplete
                    && (!e.responseStarted || e.upstreamKeepAlive)) {
                px.connector.drainAndRelease(up, e.responseStarted);
            } else {
                UpstreamConnector.discard(up);
            }
        }
        if (e.websocket && e.relaying) {
            px.metrics.websocketClosed();
        }
    }

    // ---------------------------------------------------------------- local responses and errors

    /** CHP's error handling for web requests (§4.10): log, count, then error target, page or reason. */
    private void proxyError(int code, String detail) {
        Exchange e = ex;
        px.metrics.requestProxy(code);
        log.error("{} {} {} {}", code, e.request.method(), e.logUri(), detail);
        if (px.errorTarget != null) {
            if (log.isDebugEnabled()) {
                log.debug("Requesting custom error page: {}", px.errorTarget.describe(code, e.request.uri()));
            }
            px.errorTarget.fetch(ctx.channel().eventLoop(), code, e.request.uri()).addListener(f -> {
                if (ex != e || closed) {
                    if (f.isSuccess()) {
                        ((ErrorPage) f.getNow()).body().release();
                    }
                    return;
                }
                if (f.isSuccess()) {
                    ErrorPage page = (ErrorPage) f.getNow();
                    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(code), page.body());
                    if (page.contentType() != null) {
                        resp.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
                    }
                    if (page.contentEncoding() != null) {
                        resp.headers().set(HttpHeaderNames.CONTENT_ENCODING, page.contentEncoding());
                    }
                    respondLocal(resp);
                } else {
                    log.error("Failed to get custom error page: {}", describe(f.cause()));
                    respondPlain(HttpResponseStatus.valueOf(code), null);
                }
            });
            return;
        }
        byte[] page = px.errorPages.page(code);
        respondPlain(HttpResponseStatus.valueOf(code), page);
    }

    /** A response with the reason phrase as body, or an HTML page. */
    private void respondPlain(HttpResponseStatus status, byte[] htmlPage) {
        FullHttpResponse resp;
        if (htmlPage != null) {
            resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(htmlPage));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_HTML);
        } else {
            resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(status.reasonPhrase(), StandardCharsets.US_ASCII));
        }
        respondLocal(resp);
    }

    private void respondLocal(FullHttpResponse resp) {
        Exchange e = ex;
        e.local = true;
        e.status = resp.status().code();
        e.responseStarted = true;
        e.responseComplete = true;
        e.releasePending();
        if (e.upstream != null) {
            UpstreamConnector.discard(e.upstream);
            e.upstream = null;
        }
        if (px.inFlight.draining()) {
            e.clientKeepAlive = false;
        }
        boolean keepAlive = e.clientKeepAlive && (e.requestComplete || !e.websocket);
        HttpUtil.setContentLength(resp, resp.content().readableBytes());
        px.headers.localResponse(resp.headers(), keepAlive);
        resp.setProtocolVersion(e.request.protocolVersion());
        ctx.writeAndFlush(resp);
        maybeCompleteExchange();
    }

    // ---------------------------------------------------------------- websockets

    private void startWebSocket(HttpRequest request) {
        px.metrics.requestWs();
        // From here on the client speaks websocket, not HTTP: stop parsing (Q2, no byte lost before 101).
        HttpServerCodec codec = ctx.pipeline().get(HttpServerCodec.class);
        if (codec != null) {
            codec.removeInboundHandler();
        }
        ex.requestComplete = true;
        if (request.method() != HttpMethod.GET
                || !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
            log.warn("400 {} {}: unsupported upgrade '{}'", request.method(), ex.logUri(),
                    request.headers().get(HttpHeaderNames.UPGRADE));
            websocketReject(HttpResponseStatus.BAD_REQUEST);
            return;
        }
        RequestPath path = findRoute(request);
        if (path == null) {
            return;
        }
        Route route = ex.route;
        String upstreamUri = upstreamUri(path, route);
        if (log.isDebugEnabled()) {
            log.debug("PROXY WS {} to {}", ex.logUri(), route.target().raw());
        }
        HttpHeaders headers = request.headers();
        px.headers.toUpstream(request.method(), headers, clientIp, tls, route.target(), true);
        ex.upstreamRequest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, upstreamUri, headers);
        ex.retried = true; // never reuse a pooled connection for a handshake: it will not come back
        connectUpstream(route.target());
    }

    private void sendWebSocketHandshake() {
        Channel up = ex.upstream;
        up.writeAndFlush(ex.upstreamRequest);
        up.read();
    }

    /** Raw bytes (or the handshake's empty LastHttpContent) from the client before or after the 101. */
    private void websocketClientData(Object msg) {
        Exchange e = ex;
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!e.relaying || e.upstream == null) {
            e.queueForUpstream(buf); // before the 101: keep every byte, in order
            return;
        }
        relayFromClient(e, buf);
    }

    private void relayFromClient(Exchange e, ByteBuf buf) {
        if (buf.isReadable()) {
            touchActivity(e);
        }
        e.upstream.write(buf);
        upstreamNeedsFlush = true;
    }

    private void websocketUpstreamData(Exchange e, Object msg) {
        if (e.relaying) {
            if (msg instanceof ByteBuf buf) {
                if (px.config.websocketActivityBothWays() && buf.isReadable()) {
                    touchActivity(e);
                }
                ctx.write(buf);
            } else {
                ReferenceCountUtil.release(msg); // the 101's empty LastHttpContent
            }
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.status().code() == 101) {
                establishRelay(e, response);
                if (msg instanceof HttpContent) {
                    ReferenceCountUtil.release(msg);
                }
                return;
            }
            // Not upgraded: relay this response, then close (CHP ≥ 5.1, no leaked sockets).
            e.status = response.status().code();
            e.responseStarted = true;
            e.clientKeepAlive = false;
            px.headers.toClient(response, false, false, e.request.headers().get(HttpHeaderNames.HOST),
                    e.route.target());
            if (!HttpUtil.isContentLengthSet(response)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
            ctx.write(response);
        }
        if (msg instanceof HttpContent content) {
            ctx.write(content);
            if (content instanceof LastHttpContent) {
                e.responseComplete = true;
                e.relaying = false;
                ex = null;
                endInFlight(e);
                e.releasePending();
                if (e.upstream != null) {
                    UpstreamConnector.discard(e.upstream);
                    e.upstream = null;
                }
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void establishRelay(Exchange e, HttpResponse response) {
        e.status = 101;
        e.responseStarted = true;
        e.relaying = true;
        endInFlight(e); // open websockets do not hold up a drain
        px.metrics.websocketOpened();
        FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status());
        switching.headers().set(response.headers());
        px.headers.toClient(switching, true, true, e.request.headers().get(HttpHeaderNames.HOST), e.route.target());
        ctx.write(switching);
        // Both sides now carry websocket frames: drop the HTTP codecs and timeouts, splice bytes.
        keepAlive.stop();
        ProxyChannelInitializer.switchToRawRelay(ctx.pipeline());
        UpstreamConnector.switchToRawRelay(e.upstream);
        Object o;
        while ((o = e.pollPending()) != null) {
            if (o instanceof ByteBuf buf) {
                relayFromClient(e, buf);
            } else {
                ReferenceCountUtil.release(o);
            }
        }
        ctx.flush();
        flushUpstream();
        ctx.read();
        e.upstream.read();
        if (px.accessLog && accessLog.isInfoEnabled()) {
            accessLog.info("101 GET {} {}ms", e.logUri(), (System.nanoTime() - e.startNanos) / 1_000_000);
        }
    }

    /** Websocket errors are a bare status line and the connection is closed (§4.2; no error pages). */
    private void websocketError(int code, String detail) {
        px.metrics.requestProxy(code);
        log.error("{} {} {} {}", code, ex.request.method(), ex.logUri(), detail);
        websocketReject(HttpResponseStatus.valueOf(code));
    }

    private void websocketReject(HttpResponseStatus status) {
        Exchange e = ex;
        ex = null;
        endInFlight(e);
        e.releasePending();
        if (e.upstream != null) {
            UpstreamConnector.discard(e.upstream);
            e.upstream = null;
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }

    // ---------------------------------------------------------------- helpers

    /** An exchange stops counting as in flight when it ends, or when its websocket is established. */
    private void endInFlight(Exchange e) {
        if (e.inFlightCounted) {
            e.inFlightCounted = false;
            px.inFlight.end();
        }
    }

    private void touchActivity(Exchange e) {
        long t0 = System.nanoTime();
        if (e.route.activity().touch(System.currentTimeMillis())) {
            px.metrics.lastActivityUpdating(System.nanoTime() - t0);
        }
    }

    private static boolean isUpgrade(HttpRequest request) {
        HttpHeaders h = request.headers();
        return h.contains(HttpHeaderNames.UPGRADE)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Q24: request framing that must never be forwarded; null if the request is fine. */
    private static String framingProblem(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            return "malformed request (" + (cause == null ? "?" : cause.getMessage()) + ")";
        }
        HttpHeaders h = request.headers();
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                return "both Content-Length and Transfer-Encoding";
            }
            String joined = String.join(",", h.getAll(HttpHeaderNames.TRANSFER_ENCODING)).toLowerCase(Locale.ROOT);
            String[] codings = joined.split(",");
            for (int i = 0; i < codings.length; i++) {
                boolean isChunked = codings[i].trim().equals("chunked");
                if (isChunked != (i == codings.length - 1)) {
                    return "Transfer-Encoding must end with a single chunked";
                }
            }
            if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                return "Transfer-Encoding in an HTTP/1.0 request";
            }
        }
        Iterator<String> hosts = h.valueStringIterator(HttpHeaderNames.HOST);
        if (hosts.hasNext()) {
            hosts.next();
            if (hosts.hasNext()) {
                return "duplicate Host header";
            }
        }
        if (request.method() == HttpMethod.CONNECT) {
            return "CONNECT is not supported";
        }
        return null;
    }

    private static HttpResponseStatus statusFor(HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (cause instanceof TooLongFrameException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (request.method() == HttpMethod.CONNECT) {
            return HttpResponseStatus.METHOD_NOT_ALLOWED;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    /** Host name from a Host header for host routing (Q8): port removed, lower-cased, IPv6 kept bracketed. */
    static String hostName(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return null;
        }
        String host;
        if (hostHeader.charAt(0) == '[') {
            int close = hostHeader.indexOf(']');
            host = close > 0 ? hostHeader.substring(0, close + 1) : hostHeader;
        } else {
            int colon = hostHeader.indexOf(':');
            host = colon >= 0 ? hostHeader.substring(0, colon) : hostHeader;
        }
        return host.toLowerCase(Locale.ROOT);
    }

    private static String addressOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return NetUtil.toAddressString(inet.getAddress());
        }
        return null; // UNIX socket clients have no address
    }

    static String connectError(Throwable cause, Target target) {
        String where = target.isUnix() ? target.socketPath() : target.host() + ":" + target.port();
        if (cause instanceof java.net.ConnectException || cause instanceof io.netty.channel.ConnectTimeoutException) {
            String m = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("refused")) {
                return "connect ECONNREFUSED " + where;
            }
            if (m.contains("timed out")) {
                return "connect ETIMEDOUT " + where;
            }
        }
        Throwable root = rootCause(cause);
        if (root.getMessage() != null && root.getMessage().contains("Too many open files")) {
            // Node says "connect EMFILE"; Netty only says "Unable to create Channel from class ...", which tells an
            // admin nothing: name the limit to raise
            return "connect EMFILE " + where + " (too many open files: raise the proxy's open-file limit, ulimit -n)";
        }
        return describe(cause) + " (" + where + ")";
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable cause) {
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }
}
