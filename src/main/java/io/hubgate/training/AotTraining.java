package io.hubgate.training;

import io.hubgate.cli.CliOutcome;
import io.hubgate.cli.HubgateCli;
import io.hubgate.config.HubgateConfig;
import io.hubgate.lifecycle.HubgateServer;
import io.hubgate.lifecycle.ServerParts;
import io.hubgate.logging.Logging;
import io.hubgate.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The training run for a JDK 25+ ahead-of-time cache ({@code bin/hubgate-aot-train}; docs/performance.md,
 * "Warm-up"). It starts Hubgate as {@code bin/hubgate} would, on loopback ports with an in-memory table and a
 * loopback backend, and drives each of the proxy's paths for a share of {@code --seconds}: keep-alive
 * requests, large and uploaded bodies, a new connection per request, websockets, the route API (adds, listing,
 * {@code inactive_since}, deletes, refused requests), requests spread over many routes, and the error page of
 * an unreachable target. The JVM ({@code -XX:AOTCacheOutput}) records the classes it loaded and the methods'
 * profiles; a proxy started with that cache skips most of its warm-up.
 *
 * <p>Exits 0 when every phase got the responses it expected, 1 (and no cache should be kept) otherwise.
 */
public final class AotTraining {

    private static final String TOKEN = "aot-training";
    private static final int ROUTES = 2000;
    private static final long COUNTED_PHASE_LIMIT_MS = 60_000;

    private final InetSocketAddress proxy;
    private final InetSocketAddress api;
    private final String backendUrl;
    private final Bootstrap bootstrap;
    private final List<String> problems = new ArrayList<>();

    private AotTraining(InetSocketAddress proxy, InetSocketAddress api, String backendUrl, Bootstrap bootstrap) {
        this.proxy = proxy;
        this.api = api;
        this.backendUrl = backendUrl;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length == 2 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 30;
        System.exit(run(Duration.ofSeconds(seconds)) ? 0 : 1);
    }

    /** Runs the whole workload; true when every phase got the responses it expected. */
    static boolean run(Duration total) throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup clients = transport.newGroup(1, "training-client");
        try (TrainingBackend backend = TrainingBackend.start(transport)) {
            CliOutcome outcome = HubgateCli.parse(new String[] {"--ip", "127.0.0.1", "--port", "0",
                "--api-ip", "127.0.0.1", "--api-port", "0", "--log-level", "warn", "--default-target", backend.url()},
                    Map.of("CONFIGPROXY_AUTH_TOKEN", TOKEN));
            if (!(outcome instanceof CliOutcome.Run run)) {
                throw new IllegalStateException("the training's own command line was refused: " + outcome);
            }
            HubgateConfig config = run.config();
            Logging.configure(config.logLevel());
            HubgateServer server = HubgateServer.start(config, ServerParts.from(config));
            try {
                Bootstrap bootstrap = new Bootstrap().group(clients).channel(transport.clientChannel(false))
                        .option(ChannelOption.TCP_NODELAY, true);
                AotTraining training = new AotTraining(new InetSocketAddress("127.0.0.1", server.proxyPort()),
                        new InetSocketAddress("127.0.0.1", server.apiPort()), backend.url(), bootstrap);
                training.phases(total.toMillis());
                training.problems.forEach(p -> System.err.println("training: " + p));
                return training.problems.isEmpty();
            } finally {
                server.shutdown(Duration.ofSeconds(2));
            }
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void phases(long totalMillis) throws Exception {
        long unit = Math.max(1, totalMillis / 20);
        expect2xx("keep-alive, 64 B", loops(proxy, 32, () -> get("/small"), true, 5 * unit));
        StatusTally bodies = new StatusTally();
        long deadline = deadline(2 * unit);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        start(all, proxy, 8, () -> get("/big"), true, deadline, bodies);
        start(all, proxy, 8, () -> post("/upload", 4096), true, deadline, bodies);
        await(all, 2 * unit);
        expect2xx("keep-alive, 100 KiB and uploads", bodies);
        expect2xx("new connection per request", loops(proxy, 32, () -> get("/small"), false, 5 * unit));
        websockets(3 * unit);
        routes(4 * unit);
        errors();
    }

    private void websockets(long millis) throws Exception {
        StatusTally tally = new StatusTally();
        long deadline = deadline(millis);
        while (System.nanoTime() < deadline) {
            List<CompletableFuture<Void>> round = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                round.add(WebSocketLoop.start(bootstrap, proxy, "/user/training/api/kernels/" + i + "/channels",
                        50, deadline, tally));
            }
            await(round, millis);
        }
        report("websockets", tally, tally.responses(1) > 0 && tally.responses() == tally.responses(1)
                && tally.failures() == 0);
    }

    private void routes(long millis) throws Exception {
        // The adds and deletes run to their count, not to their share of the time: the deletes must find every route
        // the adds made, also on a machine too slow for 2,000 adds in that share. A minute is the safety limit.
        long counted = Math.max(millis, COUNTED_PHASE_LIMIT_MS);
        expect2xx("route adds", loops(api, 8, numbered(ROUTES, n -> json(HttpMethod.POST, "/api/routes/user/u" + n,
                "{\"target\": \"" + backendUrl + "\", \"user\": \"u" + n + "\", \"jupyterhub\": true}")), true, counted));
        expect2xx("route listing", loops(api, 1, numbered(6, n -> n < 4 ? authorized(HttpMethod.GET, "/api/routes")
                : authorized(HttpMethod.GET, "/api/routes?inactive_since=2000-01-01T00:00:00.000Z")), true, millis));
        expect2xx("requests over " + ROUTES + " routes", loops(proxy, 16, () -> get("/user/u"
                + ThreadLocalRandom.current().nextInt(ROUTES) + "/api/contents"), true, millis / 2));
        expect2xx("route deletes", loops(api, 8,
                numbered(ROUTES, n -> authorized(HttpMethod.DELETE, "/api/routes/user/u" + n)), true, counted));
    }

    /** Refused API requests and an unreachable target: the error paths JupyterHub meets too. */
    private void errors() throws Exception {
        List<FullHttpRequest> refused = List.of(
                json(HttpMethod.POST, "/api/routes/broken", "{\"target\": "),
                json(HttpMethod.POST, "/api/routes/no-target", "{\"user\": \"u\"}"),
                request(HttpMethod.GET, "/api/routes"), // no token
                authorized(HttpMethod.DELETE, "/api/routes/not/there"),
                authorized(HttpMethod.GET, "/api/routes?inactive_since=yesterday"));
        StatusTally apiErrors = loops(api, 1, numbered(refused.size(), refused::get), true, 10_000);
        report("refused API requests", apiErrors, apiErrors.responses(4) == refused.size());
        StatusTally setup = loops(api, 1, numbered(1, n -> json(HttpMethod.POST, "/api/routes/gone",
                "{\"target\": \"http://127.0.0.1:1\"}")), true, 10_000);
        expect2xx("route to an unreachable target", setup);
        StatusTally unreachable = loops(proxy, 1, numbered(5, n -> get("/gone/x")), true, 10_000);
        report("unreachable target", unreachable, unreachable.responses(5) == 5);
    }

    // ---------------------------------------------------------------- plumbing

    private StatusTally loops(InetSocketAddress to, int count, Supplier<FullHttpRequest> requests, boolean keepAlive,
                              long millis) throws Exception {
        StatusTally tally = new StatusTally();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        start(all, to, count, requests, keepAlive, deadline(millis), tally);
        await(all, millis);
        return tally;
    }

    private void start(List<CompletableFuture<Void>> into, InetSocketAddress to, int count,
                       Supplier<FullHttpRequest> requests, boolean keepAlive, long deadline, StatusTally tally) {
        for (int i = 0; i < count; i++) {
            into.add(RequestLoop.start(bootstrap, to, requests, keepAlive, deadline, tally));
        }
    }

    private static long deadline(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void await(List<CompletableFuture<Void>> loops, long millis) throws Exception {
        // Loops stop themselves at their deadline; the margin covers a response still on its way.
        CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(millis + 30_000, TimeUnit.MILLISECONDS);
    }

    private void expect2xx(String phase, StatusTally tally) {
        report(phase, tally, tally.responses(2) > 0 && tally.responses() == tally.responses(2)
                && tally.failures() == 0);
    }

    private void report(String phase, StatusTally tally, boolean asExpected) {
        System.out.println("training: " + phase + ": " + tally);
        if (!asExpected) {
            problems.add(phase + " did not go as expected: " + tally);
        }
    }

    /** Hands out {@code request(0)} to {@code request(count - 1)}, one per call from any loop, then null. */
    private static Supplier<FullHttpRequest> numbered(int count, IntFunction<FullHttpRequest> request) {
        AtomicInteger next = new AtomicInteger();
        return () -> {
            int n = next.getAndIncrement();
            return n < count ? request.apply(n) : null;
        };
    }

    private static FullHttpRequest get(String path) {
        return request(HttpMethod.GET, path);
    }

    private static FullHttpRequest post(String path, int bytes) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(new byte[bytes]));
        r.headers().set(HttpHeaderNames.HOST, "training")
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(r, bytes);
        return r;
    }

    private static FullHttpRequest request(HttpMethod method, String path) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path);
        r.headers().set(HttpHeaderNames.HOST, "training");
        HttpUtil.setContentLength(r, 0);
        return r;
    }

    private static FullHttpRequest authorized(HttpMethod method, String path) {
        FullHttpRequest r = request(method, path);
        r.headers().set(HttpHeaderNames.AUTHORIZATION, "token " + TOKEN);
        return r;
    }

    private static FullHttpRequest json(HttpMethod method, String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.HOST, "training")
                .set(HttpHeaderNames.AUTHORIZATION, "token " + TOKEN)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(r, bytes.length);
        return r;
    }
}
