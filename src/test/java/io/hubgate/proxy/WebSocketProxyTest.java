package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hubgate.routing.Route;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import io.hubgate.testing.WebSocketBackend;
import io.hubgate.testing.WsFrames;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Websocket proxying (chp-behaviour §4.2, §4.9; Q2, Q3) with a real websocket upstream. */
class WebSocketProxyTest {

    static WebSocketBackend ws;
    static HttpBackend http;
    static HubgateFixture hub;

    @BeforeAll
    static void start() {
        ws = new WebSocketBackend();
        http = new HttpBackend("plain");
        hub = HubgateFixture.start(b -> { });
        hub.addRoute("/ws", ws.url());
        hub.addRoute("/plain", http.url());
    }

    @AfterAll
    static void stop() {
        hub.close();
        ws.close();
        http.close();
    }

    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        static Client open(String path) throws Exception {
            Client c = new Client();
            c.socket = hub.http.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + hub.server.proxyPort() + path), c).get(5, TimeUnit.SECONDS);
            assertThat(c.next()).isEqualTo("connected");
            return c;
        }

        String next() throws InterruptedException {
            return messages.poll(5, TimeUnit.SECONDS);
        }

        String echo(String text) throws Exception {
            socket.sendText(text, true).get(5, TimeUnit.SECONDS);
            return next();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            messages.add(data.toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    @Test
    void bytesSentWithTheHandshakeAreNotLost() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            // Q2: the first frame travels in the same write as the handshake, before any 101.
            raw.send(WsFrames.concat(WsFrames.handshake("/ws/early", "a").getBytes(StandardCharsets.US_ASCII),
                    WsFrames.clientText("first"), WsFrames.clientText("second")));
            RawHttp.Response r = raw.read(true);
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(r.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(WsFrames.readText(raw.in())).isEqualTo("connected");
            assertThat(WsFrames.readText(raw.in())).isEqualTo("echo:/ws/early:first");
            assertThat(WsFrames.readText(raw.in())).isEqualTo("echo:/ws/early:second");
        }
    }

    @Test
    void openWebsocketSurvivesChangesToItsOwnRoute() throws Exception {
        hub.addRoute("/ws/mine", ws.url());
        Client c = Client.open("/ws/mine/x");
        assertThat(c.echo("a")).isEqualTo("echo:/ws/mine/x:a");
        hub.addRoute("/ws/other", ws.url());
        assertThat(hub.api("DELETE", "/ws/mine", null).statusCode()).isEqualTo(204);
        assertThat(c.echo("b")).isEqualTo("echo:/ws/mine/x:b");
        hub.addRoute("/ws/mine", "http://127.0.0.1:1");
        assertThat(c.echo("c")).isEqualTo("echo:/ws/mine/x:c");
        assertThat(hub.api("DELETE", "/ws/mine", null).statusCode()).isEqualTo(204);
        assertThat(c.echo("d")).isEqualTo("echo:/ws/mine/x:d");
        assertThat(c.closed).isNotDone();
        c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void activityCountsClientToServerDataOnly() throws Exception {
        hub.addRoute("/ws/act", ws.url());
        Route route = hub.server.routes().table().get("/ws/act");
        long past = System.currentTimeMillis() - 60_000;
        route.activity().set(past);
        Client c = Client.open("/ws/act");
        assertThat(route.activity().millis()).as("the upgrade itself is not activity").isEqualTo(past);
        c.socket.sendText("push:5", true).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            assertThat(c.next()).isEqualTo("pushed:" + i);
        }
        long afterClientMessage = route.activity().millis();
        assertThat(afterClientMessage).isGreaterThan(past);
        route.activity().set(past);
        c.socket.sendText("push:3", true); // client data again: moves it
        for (int i = 0; i < 3; i++) {
            c.next();
        }
        assertThat(route.activity().millis()).isGreaterThan(past);
        c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void serverPushAloneIsNotActivityByDefault() throws Exception {
        hub.addRoute("/ws/push", ws.url());
        Route route = hub.server.routes().table().get("/ws/push");
        Client c = Client.open("/ws/push");
        c.socket.sendText("push:50", true).get(5, TimeUnit.SECONDS);
        c.next(); // first pushed message: the client frame has been counted by now
        long past = System.currentTimeMillis() - 60_000;
        route.activity().set(past);
        for (int i = 1; i < 50; i++) {
            assertThat(c.next()).isEqualTo("pushed:" + i);
        }
        assertThat(route.activity().millis()).isEqualTo(past);
        c.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }

    @Test
    void serverPushCountsWithBothWaysFlag() throws Exception {
        try (HubgateFixture both = HubgateFixture.start(b -> b.websocketActivityBothWays = true)) {
            both.addRoute("/ws", ws.url());
            Route route = both.server.routes().table().get("/ws");
            LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
            long past = System.currentTimeMillis() - 60_000;
            route.activity().set(past);
            WebSocket socket = both.http.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + both.server.proxyPort() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            messages.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("connected");
            assertThat(route.activity().millis()).isGreaterThan(past);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void noRouteIsBare404AndClosed() throws Exception {
        try (HubgateFixture bare = HubgateFixture.start(b -> { }); RawHttp raw = new RawHttp(bare.server.proxyPort())) {
            raw.send(WsFrames.handshake("/nowhere", "a"));
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("content-length")).isEqualTo("0");
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void deadUpstreamIsBare503AndClosed() throws Exception {
        hub.addRoute("/ws/dead", "http://127.0.0.1:1");
        Route route = hub.server.routes().table().get("/ws/dead");
        long past = System.currentTimeMillis() - 60_000;
        route.activity().set(past);
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(WsFrames.concat(WsFrames.handshake("/ws/dead/x", "a").getBytes(StandardCharsets.US_ASCII),
                    WsFrames.clientText("lost")));
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).isEmpty();
            assertThat(raw.closedByPeer()).isTrue();
        }
        assertThat(route.activity().millis()).as("failed requests are not activity").isEqualTo(past);
    }

    @Test
    void nonUpgradeAnswerIsRelayedThenClosed() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(WsFrames.handshake("/plain/notws", "a"));
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).contains("\"url\":\"/plain/notws\"");
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void unsupportedUpgradeIsRejected() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("GET /ws/x HTTP/1.1\r\nHost: a\r\nUpgrade: foo\r\nConnection: upgrade\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void upstreamCloseClosesClient() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(WsFrames.handshake("/ws/closing", "a"));
            assertThat(raw.read(true).status()).isEqualTo(101);
            assertThat(WsFrames.readText(raw.in())).isEqualTo("connected");
            raw.send(WsFrames.clientText("close-tcp"));
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void forwardedHeadersUseWsScheme() throws Exception {
        hub.addRoute("/plain-ws", http.url());
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(WsFrames.handshake("/plain-ws/h", "example.org:8123"));
            String body = raw.read().bodyText();
            assertThat(body).contains("\"x-forwarded-proto\":\"ws\"").contains("\"x-forwarded-port\":\"8123\"")
                    .doesNotContain("x-forwarded-host").contains("\"upgrade\":\"websocket\"");
        }
    }
}
