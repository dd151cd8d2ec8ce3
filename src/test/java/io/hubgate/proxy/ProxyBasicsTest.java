package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.WebSocketBackend;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProxyBasicsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static HttpBackend backend;
    static HttpBackend other;
    static WebSocketBackend ws;
    static HubgateFixture hub;

    @BeforeAll
    static void start() {
        backend = new HttpBackend("default");
        other = new HttpBackend("other");
        ws = new WebSocketBackend();
        hub = HubgateFixture.start(b -> b.defaultTarget = backend.url());
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
        other.close();
        ws.close();
    }

    static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    @Test
    void defaultRouteProxiesAndKeepsAlive() {
        HttpResponse<String> r = hub.get("/any/random/url?x=1");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("name").asString()).isEqualTo("default");
        assertThat(body.get("url").asString()).isEqualTo("/any/random/url?x=1");
        assertThat(r.headers().firstValue("connection")).hasValue("keep-alive");
        assertThat(body.get("headers").get("x-forwarded-for").asString()).isEqualTo("127.0.0.1");
        assertThat(body.get("headers").get("x-forwarded-proto").asString()).isEqualTo("http");
        assertThat(body.get("headers").get("x-forwarded-port").asString()).isEqualTo(String.valueOf(hub.server.proxyPort()));
    }

    @Test
    void targetPathIsPrepended() {
        hub.addRoute("/bar", other.url() + "/foo");
        JsonNode body = json(hub.get("/bar/rest/of/it"));
        assertThat(body.get("name").asString()).isEqualTo("other");
        assertThat(body.get("url").asString()).isEqualTo("/foo/bar/rest/of/it");
        assertThat(json(hub.get("/bar?query=foo")).get("url").asString()).isEqualTo("/foo/bar?query=foo");
        assertThat(json(hub.get("/barbaz")).get("name").asString()).isEqualTo("default");
    }

    @Test
    void postBodyIsStreamedThrough() {
        byte[] body = new byte[300_000];
        HttpResponse<String> r = hub.send(HttpRequest.newBuilder(URI.create(hub.proxyUrl() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("bodyLength").asLong()).isEqualTo(300_000);
    }

    @Test
    void websocketEchoesThroughProxy() throws Exception {
        hub.addRoute("/user/ws", ws.url());
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket socket = hub.http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + hub.server.proxyPort() + "/user/ws/channel"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(5, TimeUnit.SECONDS);
        assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("connected");
        socket.sendText("hi", true).get(5, TimeUnit.SECONDS);
        assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:/user/ws/channel:hi");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void missingRouteIs404WithPage() {
        try (HubgateFixture bare = HubgateFixture.start(b -> { })) {
            HttpResponse<String> r = bare.get("/nope");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).hasValue("text/html");
            assertThat(r.body()).contains("404:");
        }
    }

    @Test
    void deadTargetIs503() {
        hub.addRoute("/dead", "http://127.0.0.1:1");
        HttpResponse<String> r = hub.get("/dead/x");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("503:");
    }

    @Test
    void healthCheck() {
        HttpResponse<String> r = hub.get("/_chp_healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"OK\"}");
    }

    @Test
    void apiListsRoutesWithActivity() {
        HttpResponse<String> r = hub.api("GET", "", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode all = json(r);
        assertThat(all.get("/").get("target").asString()).isEqualTo(backend.url());
        assertThat(all.get("/").get("last_activity").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void download() {
        HttpResponse<String> r = hub.get("/download/1000000");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(1_000_000);
        HttpResponse<String> c = hub.get("/download-chunked/1000000");
        assertThat(c.body()).hasSize(1_000_000);
    }

    static Duration d(long s) {
        return Duration.ofSeconds(s);
    }
}
