package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.config.HubgateConfig;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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

    /** A proxy whose default target is the slow backend, with the timeouts under test. */
    private static HubgateFixture proxyTo(Consumer<HubgateConfig.Builder> timeouts) {
        return HubgateFixture.start(b -> {
            b.defaultTarget = backend.url();
            timeouts.accept(b);
        });
    }

    @Test
    void clientTimeoutDropsTheConnectionWithoutAResponse() throws Exception {
        try (HubgateFixture f = proxyTo(b -> b.timeout = Duration.ofMillis(300));
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/3000 HTTP/1.1\r\nHost: a\r\n\r\n");
            long t0 = System.nanoTime();
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void clientTimeoutDoesNotCutActiveRequests() throws Exception {
        try (HubgateFixture f = proxyTo(b -> b.timeout = Duration.ofMillis(1000));
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/200 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void proxyTimeoutAnswers503() throws Exception {
        try (HubgateFixture f = proxyTo(b -> b.proxyTimeout = Duration.ofMillis(300));
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/3000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(503);
            raw.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).as("the client connection stays usable").isEqualTo(200);
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosed() throws Exception {
        try (HubgateFixture f = proxyTo(b -> b.keepAliveTimeout = Duration.ofMillis(300));
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
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
        try (HubgateFixture f = proxyTo(b -> b.keepAliveTimeout = Duration.ofMillis(200));
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            raw.send("GET /slow/800 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void requestsCloserThanTheKeepAliveTimeoutKeepTheConnection() throws Exception {
        try (HubgateFixture f = proxyTo(b -> b.keepAliveTimeout = Duration.ofMillis(300));
             RawHttp raw = new RawHttp(f.server.proxyPort())) {
            long start = System.nanoTime();
            int n = 0;
            // Several timeouts' worth of time on one connection, never idle for a whole timeout.
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1200)) {
                raw.send("GET /again/" + n++ + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(raw.read().status()).isEqualTo(200);
                Thread.sleep(100); // the client's think time, not synchronisation
            }
            assertThat(n).isGreaterThan(4);
        }
    }

    @Test
    void keepAliveTimeoutDoesNotCutAResponseASlowClientIsStillReading() throws Exception {
        int size = 24 * 1024 * 1024;
        try (HubgateFixture f = proxyTo(b -> b.keepAliveTimeout = Duration.ofMillis(200));
             Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", f.server.proxyPort()));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /download/" + size + " HTTP/1.1\r\nHost: a\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            long bodyStart = -1;
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int pauses = 0;
            while (true) {
                int r = in.read(buf);
                if (r < 0) {
                    break;
                }
                if (bodyStart < 0) {
                    head.write(buf, 0, r);
                    String h = head.toString(StandardCharsets.ISO_8859_1);
                    int end = h.indexOf("\r\n\r\n");
                    if (end >= 0) {
                        bodyStart = end + 4;
                        total = head.size() - bodyStart;
                    }
                } else {
                    total += r;
                }
                if (total >= size) {
                    break;
                }
                // A slow client pauses for longer than the keep-alive timeout: mid-download, while the
                // exchange is still running, and near the end, when the exchange is over but the last bytes
                // still wait in Hubgate's outbound buffer.
                boolean midway = pauses < 3 && total > (pauses + 1) * (size / 4L);
                boolean nearEnd = pauses == 3 && total > size - 150 * 1024;
                if (midway || nearEnd) {
                    pauses++;
                    Thread.sleep(700);
                }
            }
            assertThat(total).isEqualTo(size);
        }
    }
}
