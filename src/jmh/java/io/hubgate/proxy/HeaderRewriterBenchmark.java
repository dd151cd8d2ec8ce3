package io.hubgate.proxy;

import io.hubgate.config.HubgateConfig;
import io.hubgate.routing.Target;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link HeaderRewriter} on the headers a browser sends to a JupyterLab server through JupyterHub, and on the
 * headers a Jupyter server (Tornado) answers with, with the default options ({@code X-Forwarded-*} on).
 *
 * <p>The rewriter changes headers in place, so every call first copies a template made in setup, the way the
 * decoder hands each request its own headers. The {@code copy*} benchmarks measure that copy alone: subtract
 * them to get the rewriting's own cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HeaderRewriterBenchmark {

    private HeaderRewriter rewriter;
    private HeaderRewriter autoRewriter;
    private Target target;
    private HttpHeaders request;
    private HttpHeaders websocketRequest;
    private HttpHeaders response;
    private HttpHeaders redirect;
    private String clientIp;
    private String clientHost;

    @Setup
    public void setUp() {
        rewriter = new HeaderRewriter(HubgateConfig.builder().build());
        HubgateConfig.Builder auto = HubgateConfig.builder();
        auto.autoRewrite = true;
        autoRewriter = new HeaderRewriter(auto.build());
        target = Target.parse("http://10.0.0.42:8888");
        clientIp = "192.168.17.23";
        clientHost = "hub.example.org";

        request = newHeaders();
        request.add("Host", "hub.example.org");
        request.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        request.add("Accept", "application/json, text/plain, */*");
        request.add("Accept-Language", "en-US,en;q=0.7,fr;q=0.3");
        request.add("Accept-Encoding", "gzip, deflate, br, zstd");
        request.add("Referer", "http://hub.example.org/user/u00042/lab/tree/x.ipynb");
        request.add("X-XSRFToken", "2|8f1e2d3c|0a1b2c3d4e5f60718293a4b5c6d7e8f9|1700000000");
        request.add("Authorization", "token 3f9a1c2b4d5e6f708192a3b4c5d6e7f8");
        request.add("Cookie", "_xsrf=2|8f1e2d3c|0a1b2c3d4e5f60718293a4b5c6d7e8f9|1700000000; "
                + "jupyterhub-user-u00042=\"2|1:0|10:1700000000|22:jupyterhub-user-u00042|44:"
                + "ZWY5NmQ0YTgtMWIyYy00ZDNlLTlmMGEtMWIyYzNkNGU1ZjYw|5b3c9d2e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c\"; "
                + "jupyterhub-session-id=6c2f8a1b9d3e4f5a6b7c8d9e0f1a2b3c");
        request.add("Sec-Fetch-Dest", "empty");
        request.add("Sec-Fetch-Mode", "cors");
        request.add("Sec-Fetch-Site", "same-origin");
        request.add("Connection", "keep-alive");

        websocketRequest = newHeaders();
        websocketRequest.add("Host", "hub.example.org");
        websocketRequest.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        websocketRequest.add("Accept", "*/*");
        websocketRequest.add("Accept-Language", "en-US,en;q=0.7,fr;q=0.3");
        websocketRequest.add("Accept-Encoding", "gzip, deflate, br, zstd");
        websocketRequest.add("Sec-WebSocket-Version", "13");
        websocketRequest.add("Origin", "http://hub.example.org");
        websocketRequest.add("Sec-WebSocket-Protocol", "v1.kernel.websocket.jupyter.org");
        websocketRequest.add("Sec-WebSocket-Extensions", "permessage-deflate");
        websocketRequest.add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        websocketRequest.add("Cookie", request.get("Cookie"));
        websocketRequest.add("Connection", "keep-alive, Upgrade");
        websocketRequest.add("Upgrade", "websocket");

        response = newHeaders();
        response.add("Server", "TornadoServer/6.4.1");
        response.add("Content-Type", "application/json");
        response.add("Date", "Sun, 22 Nov 2026 08:42:39 GMT");
        response.add("X-Jupyterhub-Version", "5.2.1");
        response.add("Access-Control-Allow-Headers", "accept, content-type, authorization, x-xsrftoken");
        response.add("Content-Security-Policy", "frame-ancestors 'self'; report-uri /user/u00042/api/security/csp-report");
        response.add("Etag", "\"8d2e6a4f0b1c3d5e7f9a\"");
        response.add("Last-Modified", "Sun, 22 Nov 2026 08:40:01 GMT");
        response.add("X-Content-Type-Options", "nosniff");
        response.add("Cache-Control", "no-cache, no-store, must-revalidate");
        response.add("Content-Length", "2417");
        response.add("Connection", "keep-alive");

        redirect = newHeaders();
        redirect.add("Server", "TornadoServer/6.4.1");
        redirect.add("Content-Type", "text/html; charset=UTF-8");
        redirect.add("Date", "Sun, 22 Nov 2026 08:42:39 GMT");
        redirect.add("Location", "http://10.0.0.42:8888/user/u00042/lab?");
        redirect.add("Content-Length", "0");

        // Measure what the proxy really does: check each rewrite's outcome once.
        HttpHeaders up = toUpstream();
        HttpHeaders ws = toUpstreamWebSocket();
        HttpResponse down = toClient();
        HttpResponse moved = toClientRedirectAutoRewrite();
        if (up.contains("Connection") || !"192.168.17.23".equals(up.get("X-Forwarded-For"))
                || !"hub.example.org".equals(up.get("X-Forwarded-Host"))
                || !"upgrade".equals(ws.get("Connection")) || !"ws".equals(ws.get("X-Forwarded-Proto"))
                || !"timeout=5".equals(down.headers().get("Keep-Alive"))
                || !"http://hub.example.org/user/u00042/lab?".equals(moved.headers().get("Location"))) {
            throw new IllegalStateException("unexpected rewrite: " + up + ws + down + moved);
        }
    }

    /** Headers as the HTTP decoder makes them (validating names and values). */
    private static HttpHeaders newHeaders() {
        return DefaultHttpHeadersFactory.headersFactory().newHeaders();
    }

    @Benchmark
    public HttpHeaders copyRequestHeaders() {
        return request.copy();
    }

    @Benchmark
    public HttpHeaders toUpstream() {
        HttpHeaders h = request.copy();
        rewriter.toUpstream(HttpMethod.GET, h, clientIp, false, target, false);
        return h;
    }

    @Benchmark
    public HttpHeaders toUpstreamWebSocket() {
        HttpHeaders h = websocketRequest.copy();
        rewriter.toUpstream(HttpMethod.GET, h, clientIp, false, target, true);
        return h;
    }

    @Benchmark
    public HttpResponse copyResponseHeaders() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, response.copy());
    }

    @Benchmark
    public HttpResponse toClient() {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, response.copy());
        rewriter.toClient(r, true, false, clientHost, target);
        return r;
    }

    /** {@code --auto-rewrite}: a redirect to the target's own address gets the client's Host. */
    @Benchmark
    public HttpResponse toClientRedirectAutoRewrite() {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND, redirect.copy());
        autoRewriter.toClient(r, true, false, clientHost, target);
        return r;
    }
}
