package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.Route;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Proxy behaviour of chp-behaviour §4.4–4.10 against real upstreams: URL building, headers, redirects,
 * activity, errors, pooling, and in-flight requests surviving route changes.
 */
class ProxyBehaviourTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static HttpBackend backend;
    static HubgateFixture hub;

    @BeforeAll
    static void start() {
        backend = new HttpBackend("b");
        hub = HubgateFixture.start(b -> { });
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
    }

    static JsonNode echo(HubgateFixture f, String path) {
        HttpResponse<String> r = f.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void uriEncodingIsKept() {
        hub.addRoute("/b%40r/b%20r", backend.url() + "/foo");
        assertThat(echo(hub, "/b%40r/b%20r/rest/of/it").get("url").asString()).isEqualTo("/foo/b%40r/b%20r/rest/of/it");
        assertThat(echo(hub, "/b@r/b%20r/rest/of/it").get("url").asString()).isEqualTo("/foo/b@r/b%20r/rest/of/it");
    }

    @Test
    void prefixOptions() {
        try (HubgateFixture noPrepend = HubgateFixture.start(b -> b.prependPath = false);
             HubgateFixture noInclude = HubgateFixture.start(b -> b.includePrefix = false);
             HubgateFixture neither = HubgateFixture.start(b -> { b.includePrefix = false; b.prependPath = false; })) {
            for (HubgateFixture f : new HubgateFixture[] {noPrepend, noInclude, neither}) {
                f.addRoute("/bar", backend.url() + "/foo");
                f.addRoute("/user/a@b", backend.url() + "/t");
            }
            assertThat(echo(noPrepend, "/bar/rest/of/it").get("url").asString()).isEqualTo("/bar/rest/of/it");
            assertThat(echo(noInclude, "/bar/rest/of/it").get("url").asString()).isEqualTo("/foo/rest/of/it");
            assertThat(echo(neither, "/bar/rest/of/it").get("url").asString()).isEqualTo("/rest/of/it");
            assertThat(echo(neither, "/bar?x=1").get("url").asString()).isEqualTo("/?x=1");
            assertThat(echo(neither, "/bar").get("url").asString()).isEqualTo("/");
            // Q6: an encoded prefix is stripped by segments, not by characters
            assertThat(echo(noInclude, "/user/a%40b/rest").get("url").asString()).isEqualTo("/t/rest");
        }
    }

    @Test
    void doubleSlashIsRoutedAndForwardedAlike() {
        hub.addRoute("/dbl", backend.url() + "/foo");
        // Q7: the authority-looking "//x" is not dropped for routing and kept for forwarding
        assertThat(echo(hub, "//dbl/zz").get("url").asString()).isEqualTo("/foo/dbl/zz");
        assertThat(echo(hub, "/x/../dbl/zz").get("url").asString()).isEqualTo("/foo/dbl/zz");
    }

    @Test
    void hostRouting() throws Exception {
        try (HubgateFixture hosts = HubgateFixture.start(b -> b.hostRouting = true)) {
            hosts.addRoute("/test.example.org", backend.url());
            hosts.addRoute("/test.example.org/sub", backend.url() + "/s");
            try (RawHttp raw = new RawHttp(hosts.server.proxyPort())) {
                raw.send("GET /some/path HTTP/1.1\r\nHost: Test.Example.ORG:8000\r\n\r\n");
                assertThat(raw.read().bodyText()).contains("\"url\":\"/some/path\"");
                raw.send("GET /sub/x HTTP/1.1\r\nHost: test.example.org\r\n\r\n");
                assertThat(raw.read().bodyText()).contains("\"url\":\"/s/sub/x\"");
                raw.send("GET /some/path HTTP/1.1\r\nHost: other.example.org\r\n\r\n");
                assertThat(raw.read().status()).isEqualTo(404);
            }
            JsonNode routes = JSON.readTree(hosts.api("GET", "", null).body());
            assertThat(routes.get("/test.example.org").get("host").asString()).isEqualTo("test.example.org");
        }
    }

    @Test
    void forwardedAndHopByHopHeaders() throws Exception {
        hub.addRoute("/h", backend.url());
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("GET /h HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 10.0.0.1\r\n"
                    + "X-Forwarded-Proto: https\r\nConnection: keep-alive, X-Secret\r\nX-Secret: s\r\n"
                    + "Keep-Alive: timeout=9\r\nTE: trailers\r\nProxy-Authorization: Basic x\r\n"
                    + "Upgrade-Insecure-Requests: 1\r\n\r\n");
            JsonNode headers = JSON.readTree(raw.read().bodyText()).get("headers");
            assertThat(headers.get("x-forwarded-for").asString()).isEqualTo("10.0.0.1,127.0.0.1");
            assertThat(headers.get("x-forwarded-proto").asString()).isEqualTo("https,http");
            assertThat(headers.get("x-forwarded-port").asString()).isEqualTo("80");
            assertThat(headers.get("x-forwarded-host").asString()).isEqualTo("example.com");
            assertThat(headers.get("host").asString()).isEqualTo("example.com");
            assertThat(headers.get("upgrade-insecure-requests").asString()).isEqualTo("1");
            for (String hop : new String[] {"x-secret", "keep-alive", "te", "proxy-authorization", "connection"}) {
                assertThat(headers.has(hop)).as(hop).isFalse();
            }
        }
    }

    @Test
    void deleteAndOptionsGetContentLengthZero() {
        hub.addRoute("/d", backend.url());
        HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.proxyUrl() + "/d")).DELETE().build());
        assertThat(JSON.readTree(r.body()).get("headers").get("content-length").asString()).isEqualTo("0");
    }

    @Test
    void customHeadersChangeOriginAndNoXForward() {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.customHeaders.put("k1", "v1");
            b.customHeaders.put("X-Forwarded-Proto", "custom");
            b.changeOrigin = true;
        }); HubgateFixture plain = HubgateFixture.start(b -> b.xForward = false)) {
            f.addRoute("/", backend.url());
            plain.addRoute("/", backend.url());
            JsonNode headers = echo(f, "/c").get("headers");
            assertThat(headers.get("k1").asString()).isEqualTo("v1");
            assertThat(headers.get("x-forwarded-proto").asString()).isEqualTo("custom");
            assertThat(headers.get("host").asString()).isEqualTo("127.0.0.1:" + backend.port());
            JsonNode plainHeaders = echo(plain, "/c").get("headers");
            assertThat(plainHeaders.has("x-forwarded-for")).isFalse();
        }
    }

    @Test
    void redirectsAreRewrittenOnlyWhenAsked() {
        String to = "https://127.0.0.1:" + backend.port() + "/whatever";
        hub.addRoute("/external/urlpath", backend.url() + "/internal/urlpath");
        HttpResponse<String> untouched = hub.get("/external/urlpath/redirect?to=http%3A%2F%2Ffoo.com%3A12345%2Fwhatever");
        // the backend sees "/internal/urlpath/external/urlpath/redirect?..." and still redirects: it matches the prefix
        assertThat(untouched.statusCode()).isEqualTo(301);
        assertThat(untouched.headers().firstValue("location")).hasValue("http://foo.com:12345/whatever");
        try (HubgateFixture f = HubgateFixture.start(b -> { b.autoRewrite = true; b.protocolRewrite = "https"; })) {
            f.addRoute("/", backend.url());
            HttpResponse<String> r = f.get("/redirect?to=" + java.net.URLEncoder.encode(to, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(301);
            assertThat(r.headers().firstValue("location")).hasValue("https://127.0.0.1:" + f.server.proxyPort() + "/whatever");
            HttpResponse<String> other = f.get("/redirect?to=http%3A%2F%2Ffoo.com%3A12345%2Fwhatever");
            assertThat(other.headers().firstValue("location")).hasValue("http://foo.com:12345/whatever");
        }
    }

    @Test
    void activityFollowsChpRules() {
        hub.addRoute("/act", backend.url());
        Route route = hub.server.routes().table().get("/act");
        long past = System.currentTimeMillis() - 60_000;

        route.activity().set(past);
        hub.get("/act/status/404");
        assertThat(route.activity().millis()).as("GET -> 404: no update").isEqualTo(past);

        hub.get("/act/status/302");
        assertThat(route.activity().millis()).as("GET -> 302: no update").isEqualTo(past);

        hub.send(HttpRequest.newBuilder(URI.create(hub.proxyUrl() + "/act/status/404"))
                .POST(HttpRequest.BodyPublishers.ofString("body")).build());
        assertThat(route.activity().millis()).as("POST with body -> 404: update").isGreaterThan(past);

        route.activity().set(past);
        hub.get("/act/status/204");
        assertThat(route.activity().millis()).as("GET -> 204: update").isGreaterThan(past);

        route.activity().set(past);
        hub.get("/act/ok");
        assertThat(route.activity().millis()).as("GET -> 200: update").isGreaterThan(past);
    }

    @Test
    void upstreamConnectionsAreReused() {
        try (HttpBackend counted = new HttpBackend("counted")) {
            hub.addRoute("/pool", counted.url());
            for (int i = 0; i < 50; i++) {
                assertThat(hub.get("/pool/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(counted.connections.get()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void staleUpstreamConnectionIsRetriedForIdempotentRequests() {
        try (HttpBackend counted = new HttpBackend("restarting")) {
            hub.addRoute("/stale", counted.url());
            assertThat(hub.get("/stale/1").statusCode()).isEqualTo(200);
            counted.closeConnections(); // the pooled connection dies while idle
            assertThat(hub.get("/stale/2").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void downloadSurvivesDeletingItsOwnRoute() throws Exception {
        hub.addRoute("/big", backend.url());
        HttpResponse<InputStream> r = hub.http.send(HttpRequest.newBuilder(URI.create(hub.proxyUrl() + "/big/download/50000000"))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] buf = new byte[65536];
            long total = in.readNBytes(buf, 0, buf.length);
            assertThat(hub.api("DELETE", "/big", null).statusCode()).isEqualTo(204);
            hub.addRoute("/other-route", backend.url());
            hub.addRoute("/big", "http://127.0.0.1:1");
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
            assertThat(total).isEqualTo(50_000_000L);
        }
    }

    @Test
    void malformedPercentIs500() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> b.defaultTarget = backend.url());
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /% HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(500);
        }
    }

    @Test
    void errorTargetRendersErrorsWithOriginalStatus() throws Exception {
        try (HttpBackend errors = new HttpBackend("errors");
             HubgateFixture f = HubgateFixture.start(b -> b.errorTarget = errors.url() + "/hub/error/")) {
            f.addRoute("/down", "http://127.0.0.1:1");
            HttpResponse<String> r = f.get("/a%20b/x?u=v%20w&z=/q");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(JSON.readTree(r.body()).get("url").asString())
                    .isEqualTo("/hub/error/404?url=%2Fa%2520b%2Fx%3Fu%3Dv%2520w%26z%3D%2Fq");
            HttpResponse<String> down = f.get("/down/x");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(down.body()).get("url").asString()).isEqualTo("/hub/error/503?url=%2Fdown%2Fx");
        }
    }

    @Test
    void unreachableErrorTargetFallsBackToPlainText() {
        try (HubgateFixture f = HubgateFixture.start(b -> b.errorTarget = "http://127.0.0.1:1/")) {
            HttpResponse<String> r = f.get("/nope");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("Not Found");
        }
    }

    /** README difference 10: a hanging error target is bounded (10 s), then the plain-text error is sent. */
    @Test
    void hangingErrorTargetFallsBackAfterItsTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // accept and never answer
                    }
                } catch (java.io.IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (java.io.IOException ignored) {
                            // closing
                        }
                    });
                }
            }, "silent-error-target");
            acceptor.setDaemon(true);
            acceptor.start();
            try (HubgateFixture f = HubgateFixture.start(b -> b.errorTarget = "http://127.0.0.1:" + silent.getLocalPort() + "/")) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = f.get("/nope");
                long seconds = java.time.Duration.ofNanos(System.nanoTime() - t0).toSeconds();
                assertThat(r.statusCode()).isEqualTo(404);
                assertThat(r.body()).isEqualTo("Not Found");
                assertThat(seconds).isBetween(9L, 20L);
            }
        }
    }

    @Test
    void upstreamResetBeforeResponseIs503() {
        hub.addRoute("/r", backend.url());
        // /reset closes without answering: bodiless GET on a fresh connection cannot be retried
        HttpResponse<String> r = hub.get("/r/reset");
        assertThat(r.statusCode()).isIn(503);
    }

    @Test
    void headRequestsHaveNoBody() throws Exception {
        hub.addRoute("/head", backend.url());
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("HEAD /head/download-chunked/100 HTTP/1.1\r\nHost: a\r\n\r\nGET /head/x HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read(true).status()).isEqualTo(200);
            RawHttp.Response next = raw.read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).contains("\"url\":\"/x\"".replace("/x", "/head/x"));
        }
    }
}
