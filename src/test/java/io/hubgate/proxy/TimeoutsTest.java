package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** chp-behaviour §4.8: --timeout, --proxy-timeout, --keep-alive-timeout. */
class TimeoutsTest {

    static HttpBackend backend;

    @BeforeAll
    static void start() {
        backend = new HttpBackend("slow");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void clientTimeoutDropsTheConnectionWithoutAResponse() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.timeout = Duration.ofMillis(300);
        }); RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/3000 HTTP/1.1\r\nHost: a\r\n\r\n");
            long t0 = System.nanoTime();
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void clientTimeoutDoesNotCutActiveRequests() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.timeout = Duration.ofMillis(1000);
        }); RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/200 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void proxyTimeoutAnswers503() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.proxyTimeout = Duration.ofMillis(300);
        }); RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/3000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(503);
            raw.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).as("the client connection stays usable").isEqualTo(200);
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.keepAliveTimeout = Duration.ofMillis(300);
        }); RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.header("keep-alive")).isEqualTo("timeout=1");
            long t0 = System.nanoTime();
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void keepAliveTimeoutDoesNotCutSlowResponses() throws Exception {
        try (HubgateFixture f = HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            b.keepAliveTimeout = Duration.ofMillis(200);
        }); RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/800 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }
}
