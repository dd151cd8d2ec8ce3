package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * How long idle connections to targets stay pooled: {@code --upstream-keep-alive-timeout}, a target's own
 * {@code Keep-Alive: timeout=N}, and the background sweep that closes expired connections without waiting
 * for the next request; and what becomes of a connection whose client left in the middle of its exchange.
 */
class UpstreamPoolTest {

    @Test
    void anIdleConnectionIsClosedInTheBackgroundOnceItsTimeoutPasses() {
        try (HttpBackend target = new HttpBackend("t");
             HubgateFixture hub = HubgateFixture.start(b -> b.upstreamKeepAliveTimeout = Duration.ofMillis(300))) {
            hub.addRoute("/pool", target.url());
            assertThat(hub.get("/pool/1").statusCode()).isEqualTo(200);
            assertThat(hub.get("/pool/2").statusCode()).isEqualTo(200);
            assertThat(target.connections.get()).as("reused within the timeout").isEqualTo(1);

            // No further request: the sweep alone must close it.
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> target.openConnections() == 0);
            assertThat(hub.get("/pool/3").statusCode()).isEqualTo(200);
            assertThat(target.connections.get()).as("a fresh connection after the timeout").isEqualTo(2);
        }
    }

    @Test
    void aShorterKeepAliveTimeoutAnnouncedByTheTargetWins() {
        try (HttpBackend target = new HttpBackend("node-like");
             HubgateFixture hub = HubgateFixture.start(b -> { })) { // default: 60 s
            hub.addRoute("/hint", target.url());
            assertThat(hub.get("/hint/keep-alive-hint/2").statusCode()).isEqualTo(200);
            assertThat(target.openConnections()).as("pooled at first").isEqualTo(1);
            // timeout=2 means at most 1 s of idling on Hubgate's side, far below the default of 60 s.
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> target.openConnections() == 0);
        }
    }

    @Test
    void aTargetThatAnnouncesOneSecondOrLessIsNotPooled() {
        try (HttpBackend target = new HttpBackend("short");
             HubgateFixture hub = HubgateFixture.start(b -> { })) {
            hub.addRoute("/short", target.url());
            for (int i = 0; i < 3; i++) {
                assertThat(hub.get("/short/keep-alive-hint/1").statusCode()).isEqualTo(200);
            }
            assertThat(target.connections.get()).isEqualTo(3);
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> target.openConnections() == 0);
        }
    }

    @Test
    void zeroMeansANewConnectionPerRequest() {
        try (HttpBackend target = new HttpBackend("t");
             HubgateFixture hub = HubgateFixture.start(b -> b.upstreamKeepAliveTimeout = Duration.ZERO)) {
            hub.addRoute("/nopool", target.url());
            for (int i = 0; i < 3; i++) {
                assertThat(hub.get("/nopool/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(target.connections.get()).isEqualTo(3);
        }
    }

    @Test
    void aResponseWhoseClientLeftIsReadToItsEndAndTheConnectionPooled() throws Exception {
        try (HttpBackend target = new HttpBackend("t");
             HubgateFixture hub = HubgateFixture.start(b -> { })) {
            hub.addRoute("/left", target.url());
            try (Socket client = new Socket("127.0.0.1", hub.server.proxyPort())) {
                send(client, "GET /left/slow/300 HTTP/1.1\r\nHost: x\r\n\r\n");
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> target.seenUrls.contains("/left/slow/300"));
            } // gone before the target answers
            Awaitility.await().atMost(5, TimeUnit.SECONDS)
                    .until(() -> hub.server.upstreamConnector().drainedConnections() == 1);
            // pooled, not closed (the pool is its event loop's: the next request may come in on another one)
            assertThat(target.openConnections()).isEqualTo(1);
            assertThat(target.connections.get()).isEqualTo(1);
            assertThat(hub.get("/left/next").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void moreThanALittleLeftToReadClosesTheConnectionAsBefore() throws Exception {
        try (HttpBackend target = new HttpBackend("t");
             HubgateFixture hub = HubgateFixture.start(b -> { })) {
            hub.addRoute("/big", target.url());
            try (Socket client = new Socket("127.0.0.1", hub.server.proxyPort())) {
                send(client, "GET /big/download/10000000 HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(new String(client.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 200");
            } // 10 MB: far more than is worth reading for nobody
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> target.openConnections() == 0);
            assertThat(hub.server.upstreamConnector().drainedConnections()).isZero();
            assertThat(hub.get("/big/next").statusCode()).isEqualTo(200);
        }
    }

    private static void send(Socket client, String request) throws Exception {
        OutputStream out = client.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
