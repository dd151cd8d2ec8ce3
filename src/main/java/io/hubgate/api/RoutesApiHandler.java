package io.hubgate.api;

import io.hubgate.control.RouteService;
import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import io.hubgate.json.Utf8Buffer;
import io.hubgate.metrics.ProxyMetrics;
import io.hubgate.routing.RequestPath;
import io.hubgate.routing.RequestPath.MalformedPathException;
import io.hubgate.routing.Route;
import io.hubgate.routing.RoutePaths;
import io.hubgate.routing.RouteTable;
import io.hubgate.routing.Target;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * CHP's REST API (chp-behaviour §3): {@code GET/POST/DELETE /api/routes[/path]}.
 *
 * <pre>
 * [tls] → HttpServerCodec → IdleStateHandler → RefusedBodyDiscarder → HttpObjectAggregator → RoutesApiHandler
 * </pre>
 *
 * Differences from CHP, all deliberate (README lists them): authentication happens before the body is
 * read or the path decoded (Q12; refused bodies are discarded unread), the token is compared in constant
 * time and never logged (Q11), malformed escapes and a bare {@code DELETE /api/routes} get a 400 instead of
 * a hung request (Q5), and targets and route paths are validated (Q13).
 *
 * <p>One instance per connection. Requests on a connection are answered strictly in order, one at a
 * time, so a pipelined read sees every write sent before it on that connection.
 */
public final class RoutesApiHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger("hubgate.api");
    /** The listing's first allocation: a JupyterHub route takes ~165 bytes with its path; larger data grows it once. */
    private static final int LISTING_BYTES_PER_ROUTE = 176;

    private final RouteService routes;
    private final ProxyMetrics metrics;
    private final ApiAccess access;

    // per connection, touched only on its event loop
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private boolean busy;     // a request is being answered
    private boolean draining; // drain() is on the stack
    private boolean closing;  // a response closed the connection: ignore whatever follows

    public RoutesApiHandler(RouteService routes, ProxyMetrics metrics, String authToken) {
        this.routes = routes;
        this.metrics = metrics;
        this.access = new ApiAccess(authToken);
    }

    /** The head-only checks, shared with the {@link RefusedBodyDiscarder} in front of the aggregator. */
    ApiAccess access() {
        return access;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg); // the aggregator only emits full requests
            return;
        }
        if (closing) {
            req.release();
            return;
        }
        pending.add(req);
        if (busy) {
            // a pipelined request: hold it (and stop reading more) until the current answer is out
            ctx.channel().config().setAutoRead(false);
        }
        drain(ctx);
    }

    /**
     * Handles queued requests one at a time, in arrival order: a request is started only when the previous
     * one has been answered. POST and DELETE answer asynchronously (after the control plane applied them),
     * so without this a pipelined GET could overtake a POST before it and miss its write.
     */
    private void drain(ChannelHandlerContext ctx) {
        if (draining) {
            return; // called from inside the loop below (a synchronous answer): the loop continues
        }
        draining = true;
        try {
            while (!busy && !closing && !pending.isEmpty()) {
                FullHttpRequest req = pending.poll();
                busy = true;
                try {
                    handle(ctx, req);
                } finally {
                    req.release();
                }
            }
            if (pending.isEmpty() && !closing && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        } finally {
            draining = false;
        }
    }

    /** Called on the event loop once a response has been written. */
    private void answered(ChannelHandlerContext ctx, boolean keepAlive) {
        busy = false;
        if (!keepAlive) {
            closing = true;
            releasePending();
            return;
        }
        drain(ctx);
    }

    private void releasePending() {
        FullHttpRequest req;
        while ((req = pending.poll()) != null) {
            req.release();
        }
    }

    /** Idle keep-alive connections close after 5 s, as Node's; a request still being answered is not idle. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (!busy && pending.isEmpty()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean decoded = req.decoderResult().isSuccess();
        // after a decoding failure the rest of the stream cannot be trusted: answer and close
        Call call = new Call(ctx, req.method(), req.uri(), decoded && HttpUtil.isKeepAlive(req));
        try {
            dispatch(call, req);
        } catch (RuntimeException e) {
            log.error("Error in handler for {} {}: {}", req.method(), call.logUri, e.toString(), e);
            if (!call.responded) {
                call.fail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error");
            }
        }
    }

    private void dispatch(Call call, FullHttpRequest req) {
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            // Node answers an oversized request line or header section with 431 (chp-behaviour §4.8)
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    || cause instanceof TooLongHttpLineException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            call.fail(status, "Bad request: " + cause.getMessage());
            return;
        }
        // 404 and 405 come before authentication, authentication before anything is decoded or parsed
        Matcher m = ApiAccess.match(req.uri());
        if (!m.matches()) {
            call.failWithoutMessage(HttpResponseStatus.NOT_FOUND);
            return;
        }
        HttpMethod method = req.method();
        if (!ApiAccess.methodSupported(method)) {
            call.fail(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not supported");
            return;
        }
        if (!access.authorized(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            if (log.isDebugEnabled()) {
                log.debug("Rejecting API request from: {}", describeClient(call.ctx));
            }
            call.respond(HttpResponseStatus.FORBIDDEN, null, "");
            return;
        }
        String path;
        try {
            path = m.group(1) == null ? null : RequestPath.decode(m.group(1));
        } catch (MalformedPathException e) {
            call.fail(HttpResponseStatus.BAD_REQUEST, "Malformed path: URIError: URI malformed");
            return;
        }
        if (method == HttpMethod.GET) {
            get(call, req, path);
        } else if (method == HttpMethod.POST) {
            post(call, req.content(), path == null ? "/" : path);
        } else {
            delete(call, path);
        }
    }

    // ---------------------------------------------------------------- GET

    private void get(Call call, FullHttpRequest req, String path) {
        if (path == null || path.equals("/")) {
            getAll(call, req);
            return;
        }
        Route route = routes.table().get(RoutePaths.clean(path));
        if (route == null) {
            call.respond(HttpResponseStatus.NOT_FOUND, null, "");
            return;
        }
        Utf8Buffer out = new Utf8Buffer(256);
        route.renderJson(out);
        call.respond(HttpResponseStatus.OK, out, "");
    }

    private void getAll(Call call, FullHttpRequest req) {
        String since = firstNonEmpty(QueryParams.first(req.uri(), "inactiveSince"),
                QueryParams.first(req.uri(), "inactive_since"));
        long cutoff = Long.MAX_VALUE;
        if (since != null) {
            Long parsed = InactiveSince.parse(since);
            if (parsed == null) {
                call.fail(HttpResponseStatus.BAD_REQUEST, "Invalid datestamp '" + since + "' must be ISO8601.");
                return;
            }
            cutoff = parsed;
        }
        call.respond(HttpResponseStatus.OK, routesJson(routes.table(), since != null, cutoff), "");
        metrics.apiRouteGet();
    }

    /**
     * The body of {@code GET /api/routes}: every route in insertion order, or with {@code filter} only those
     * whose last activity is before {@code cutoff}. Written as bytes straight from the routes' stored
     * fragments (see {@link Utf8Buffer} for why). Package-private for the micro-benchmarks (src/jmh).
     */
    static Utf8Buffer routesJson(RouteTable table, boolean filter, long cutoff) {
        Utf8Buffer out = new Utf8Buffer(LISTING_BYTES_PER_ROUTE * table.size() + 2);
        out.append('{');
        table.forEach(route -> {
            if (filter && route.activity().millis() >= cutoff) {
                return;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            route.renderQuotedPath(out);
            out.append(':');
            route.renderJson(out);
        });
        out.append('}');
        return out;
    }

    // ---------------------------------------------------------------- POST

    private void post(Call call, ByteBuf body, String rawPath) {
        String path = RoutePaths.clean(rawPath);
        if (RoutePaths.hasControlCharacters(path)) {
            call.fail(HttpResponseStatus.BAD_REQUEST, "Route path must not contain control characters");
            return;
        }
        JsonValue parsed;
        try {
            parsed = body.isReadable() ? Json.parse(new ByteBufInputStream(body)) : null;
        } catch (JacksonException e) {
            call.fail(HttpResponseStatus.BAD_REQUEST, "Body not valid JSON: SyntaxError: " + e.getOriginalMessage());
            return;
        }
        if (parsed == null) {
            call.fail(HttpResponseStatus.BAD_REQUEST, "Body not valid JSON: SyntaxError: Unexpected end of JSON input");
            return;
        }
        if (parsed.isFalsy()) {
            parsed = JsonValue.object(); // JavaScript's `JSON.parse(body) || {}`
        }
        JsonValue target = parsed.get("target");
        if (target == null || !target.isString()) {
            log.warn("Bad POST data: {}", parsed);
            call.fail(HttpResponseStatus.BAD_REQUEST, "Must specify 'target' as string");
            return;
        }
        try {
            Target.parse(target.asString());
        } catch (IllegalArgumentException e) {
            log.warn("Bad POST data: {}", parsed);
            call.fail(HttpResponseStatus.BAD_REQUEST, "Invalid 'target': " + e.getMessage());
            return;
        }
        String targetText = target.asString();
        log.info("Adding route {} -> {}", path, targetText);
        routes.put(path, parsed).whenComplete((version, err) -> call.onLoop(() -> {
            if (err != null) {
                storeFailed(call, err);
                return;
            }
            log.info("Route added {} -> {}", path, targetText);
            metrics.apiRouteAdd();
            call.respond(HttpResponseStatus.CREATED, null, "");
        }));
    }

    // ---------------------------------------------------------------- DELETE

    private void delete(Call call, String rawPath) {
        if (rawPath == null) {
            call.fail(HttpResponseStatus.BAD_REQUEST,
                    "DELETE needs a route path (the root route is DELETE /api/routes/)");
            return;
        }
        routes.delete(RoutePaths.clean(rawPath)).whenComplete((removed, err) -> call.onLoop(() -> {
            if (err != null) {
                storeFailed(call, err);
                return;
            }
            if (removed) {
                log.info("Removing route {}", rawPath); // CHP logs it only for a route that exists
            }
            metrics.apiRouteDelete();
            call.respond(removed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.NOT_FOUND, null, "");
        }));
    }

    private void storeFailed(Call call, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        call.fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "Route store unavailable: " + cause.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static String describeClient(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    /** CHP: {@code inactiveSince} first, then {@code inactive_since}; an empty value counts as absent. */
    private static String firstNonEmpty(String a, String b) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        return b != null && !b.isEmpty() ? b : null;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.error("Error in API connection: {}", cause.toString());
        ctx.close();
    }

    /** One API request: logs and counts its response exactly once (§3.5). */
    private final class Call {
        private final ChannelHandlerContext ctx;
        private final HttpMethod method;
        private final String logUri;
        private final boolean keepAlive;
        private boolean responded;

        Call(ChannelHandlerContext ctx, HttpMethod method, String uri, boolean keepAlive) {
            this.ctx = ctx;
            this.method = method;
            int q = uri.indexOf('?');
            this.logUri = q >= 0 ? uri.substring(0, q) : uri;
            this.keepAlive = keepAlive;
        }

        /** Runs an asynchronous continuation on the connection's event loop; it always ends in an answer. */
        void onLoop(Runnable r) {
            Runnable guarded = () -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.error("Error in handler for {} {}: {}", method, logUri, e.toString(), e);
                    fail(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal Server Error");
                }
            };
            if (ctx.executor().inEventLoop()) {
                guarded.run();
            } else {
                ctx.executor().execute(guarded);
            }
        }

        void fail(HttpResponseStatus status, String message) {
            respondText(status, message, message);
        }

        /** CHP's {@code fail()} without a message: the reason phrase as body, nothing after the URL in the log. */
        void failWithoutMessage(HttpResponseStatus status) {
            respondText(status, status.reasonPhrase(), "");
        }

        void respond(HttpResponseStatus status, Utf8Buffer json, String logMessage) {
            FullHttpResponse resp = json == null
                    ? new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                    Unpooled.EMPTY_BUFFER)
                    : new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                    Unpooled.wrappedBuffer(json.array(), 0, json.length()));
            if (json != null) {
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            send(resp, logMessage);
        }

        private void respondText(HttpResponseStatus status, String body, String logMessage) {
            FullHttpResponse resp = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                    status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            send(resp, logMessage);
        }

        private void send(FullHttpResponse resp, String logMessage) {
            if (responded) {
                resp.release();
                return;
            }
            responded = true;
            int code = resp.status().code();
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            if (keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                resp.headers().set(HttpHeaderNames.KEEP_ALIVE, "timeout=5");
            } else {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            metrics.requestApi(code);
            if (code >= 500) {
                log.error("{} {} {} {}", code, method, logUri, logMessage);
            } else if (code >= 400) {
                log.warn("{} {} {} {}", code, method, logUri, logMessage);
            } else {
                log.info("{} {} {} {}", code, method, logUri, logMessage);
            }
            if (keepAlive) {
                ctx.writeAndFlush(resp);
            } else {
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
            }
            answered(ctx, keepAlive);
        }
    }
}
