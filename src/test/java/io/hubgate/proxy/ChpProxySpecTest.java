package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.Route;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import io.hubgate.testing.WebSocketBackend;
import io.hubgate.testing.WsFrames;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CHP's own proxy spec (chp-behaviour §8.2), case by case, as black-box tests of a running Hubgate. Cases
 * 4, 12 and 13 test CHP's JavaScript library surface (events, pluggable store modules) that has no CLI
 * equivalent; their CLI-visible part (an unknown storage backend is a startup error) is covered in
 * {@code HubgateCliTest}. Unix-socket listener cases 27–28 are process tests in {@code lifecycle}.
 */
class ChpProxySpecTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static HttpBackend backend;
    static WebSocketBackend ws;
    static HubgateFixture hub;

    @BeforeAll
    static void start() {
        backend = new HttpBackend("default");
        ws = new WebSocketBackend();
        hub = HubgateFixture.start(b -> b.defaultTarget = backend.url());
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
        ws.close();
    }

    static Route root() {
        return hub.server.routes().table().get("/");
    }

    @Test
    void case01BasicHttpRequestUpdatesActivity() {
        long before = System.currentTimeMillis() - 60_000;
        root().activity().set(before);
        HttpResponse<String> r = hub.get("/");
        assertThat(JSON.readTree(r.body()).get("url").asString()).isEqualTo("/");
        assertThat(root().activity().millis()).isGreaterThan(before);
    }

    @Test
    void case02BasicWebSocketRequestUpdatesActivity() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> b.defaultTarget = ws.url());
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            Route route = f.server.routes().table().get("/");
            long before = System.currentTimeMillis() - 60_000;
            route.activity().set(before);
            raw.send(WsFrames.handshake("/", "a"));
            assertThat(raw.read(true).status()).isEqualTo(101);
            assertThat(WsFrames.readText(raw.in())).isEqualTo("connected");
            raw.send(WsFrames.clientText("hi"));
            assertThat(WsFrames.readText(raw.in())).isEqualTo("echo:/:hi");
            assertThat(route.activity().millis()).isGreaterThan(before);
        }
    }

    @Test
    void case03KeepAliveHeader() {
        assertThat(hub.get("/").headers().firstValue("connection")).hasValue("keep-alive");
    }

    @Test
    void cases05to10And14UpstreamUrls() {
        hub.addRoute("/bar", backend.url() + "/foo");
        assertThat(url(hub, "/bar/rest/of/it")).isEqualTo("/foo/bar/rest/of/it");
        assertThat(url(hub, "/bar?query=foo")).isEqualTo("/foo/bar?query=foo");
        hub.addRoute("/b%40r/b%20r", backend.url() + "/foo");
        assertThat(url(hub, "/b%40r/b%20r/rest/of/it")).isEqualTo("/foo/b%40r/b%20r/rest/of/it");
        assertThat(url(hub, "/b@r/b%20r/rest/of/it")).isEqualTo("/foo/b@r/b%20r/rest/of/it");
        try (HubgateFixture noPrepend = HubgateFixture.start(b -> b.prependPath = false);
             HubgateFixture noInclude = HubgateFixture.start(b -> b.includePrefix = false);
             HubgateFixture neither = HubgateFixture.start(b -> { b.prependPath = false; b.includePrefix = false; })) {
            for (HubgateFixture f : new HubgateFixture[] {noPrepend, noInclude, neither}) {
                f.addRoute("/bar", backend.url() + "/foo");
            }
            assertThat(url(noPrepend, "/bar/rest/of/it")).isEqualTo("/bar/rest/of/it");
            assertThat(url(noInclude, "/bar/rest/of/it")).isEqualTo("/foo/rest/of/it");
            assertThat(url(neither, "/bar/rest/of/it")).isEqualTo("/rest/of/it");
        }
    }

    static String url(HubgateFixture f, String path) {
        return JSON.readTree(f.get(path).body()).get("url").asString();
    }

    @Test
    void case11DefaultTargetIsARoute() {
        JsonNode routes = JSON.readTree(hub.api("GET", "", null).body());
        assertThat(routes.get("/").get("target").asString()).isEqualTo(backend.url());
    }

    @Test
    void case15HostRouting() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> b.hostRouting = true);
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            f.addRoute("/test.localhost.jovyan.org", backend.url());
            raw.send("GET /some/path HTTP/1.1\r\nHost: test.localhost.jovyan.org:" + f.server.proxyPort() + "\r\n\r\n");
            assertThat(raw.read().bodyText()).contains("\"url\":\"/some/path\"");
        }
    }

    @Test
    void case16ActivityNotUpdatedOnErrors() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> { })) {
            f.addRoute("/missing", "https://127.0.0.1:54321");
            Route route = f.server.routes().table().get("/missing");
            long before = System.currentTimeMillis() - 60_000;
            route.activity().set(before);
            assertThat(f.get("/missing/prefix").statusCode()).isEqualTo(503);
            try (RawHttp raw = new RawHttp(f.server.proxyPort())) {
                raw.send(WsFrames.handshake("/missing/ws", "a"));
                assertThat(raw.read().status()).isEqualTo(503);
            }
            assertThat(route.activity().millis()).isEqualTo(before);
        }
    }

    @Test
    void case17CustomErrorTarget() {
        try (HubgateFixture f = HubgateFixture.start(b -> b.errorTarget = backend.url() + "/error-echo/")) {
            HttpResponse<String> r = f.get("/foo/bar");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(r.body()).isEqualTo("/foo/bar");
        }
    }

    @Test
    void case18CustomErrorPath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("404.html"), "<b>404'D!</b>");
        Files.writeString(dir.resolve("error.html"), "<i>UNKNOWN ERROR</i>");
        try (HubgateFixture f = HubgateFixture.start(b -> b.errorPath = dir)) {
            f.addRoute("/missing", "https://127.0.0.1:54321");
            HttpResponse<String> nope = f.get("/nope");
            assertThat(nope.statusCode()).isEqualTo(404);
            assertThat(nope.headers().firstValue("content-type")).hasValue("text/html");
            assertThat(nope.body()).contains("404'D");
            HttpResponse<String> down = f.get("/missing/prefix");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("content-type")).hasValue("text/html");
            assertThat(down.body()).contains("UNKNOWN");
        }
    }

    @Test
    void case19DefaultErrorHtml() {
        try (HubgateFixture f = HubgateFixture.start(b -> { })) {
            f.addRoute("/missing", "https://127.0.0.1:54321");
            HttpResponse<String> nope = f.get("/nope");
            assertThat(nope.statusCode()).isEqualTo(404);
            assertThat(nope.headers().firstValue("content-type")).hasValue("text/html");
            assertThat(nope.body()).contains("404:");
            HttpResponse<String> down = f.get("/missing/prefix");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("503:");
        }
    }

    @Test
    void case20BackendErrorWithErrorTarget() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.errorTarget = backend.url() + "/error-echo/";
        }); RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /% HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("content-type")).isEqualTo("text/plain");
            assertThat(r.bodyText()).isEqualTo("/%");
        }
    }

    @Test
    void case21RedirectLocationUntouched() {
        hub.addRoute("/external/urlpath", backend.url() + "/internal/urlpath/");
        HttpResponse<String> r = hub.get("/external/urlpath/redirect?to=http%3A%2F%2Ffoo.com%3A12345%2Fwhatever");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("location")).hasValue("http://foo.com:12345/whatever");
    }

    @Test
    void case22RedirectLocationRewritten() {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.protocolRewrite = "https";
            b.autoRewrite = true;
        })) {
            String location = "https://127.0.0.1:" + backend.port() + "/whatever";
            HttpResponse<String> r = f.get("/redirect?to=" + java.net.URLEncoder.encode(location,
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(301);
            assertThat(r.headers().firstValue("location"))
                    .hasValue("https://127.0.0.1:" + f.server.proxyPort() + "/whatever");
        }
    }

    @Test
    void case23HealthCheck() {
        HttpResponse<String> r = hub.get("/_chp_healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body()).get("status").asString()).isEqualTo("OK");
        // only the exact target is the health check
        assertThat(JSON.readTree(hub.get("/_chp_healthz?x=1").body()).get("url").asString())
                .isEqualTo("/_chp_healthz?x=1");
    }

    @Test
    void cases25And26UnixSocketErrorTargetAndTarget(@TempDir Path dir) {
        Path socket = dir.resolve("u.sock");
        String target = "http+unix://" + java.net.URLEncoder.encode(socket.toString(), java.nio.charset.StandardCharsets.UTF_8);
        try (HttpBackend unix = HttpBackend.onUnixSocket("unix", socket);
             HubgateFixture f = HubgateFixture.start(b -> b.errorTarget = target + "/error-echo/")) {
            HttpResponse<String> r = f.get("/foo/bar");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(r.body()).isEqualTo("/foo/bar");
            f.addRoute("/unix", target);
            assertThat(f.get("/unix").statusCode()).isEqualTo(200);
        }
    }
}
