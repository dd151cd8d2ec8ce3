package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * How long idle connections to targets stay pooled: {@code --upstream-keep-alive-timeout}, a target's own
 * {@code Keep-Alive: timeout=N}, and the background sweep that closes expired connections without waiting
 * for the next request.
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
}
