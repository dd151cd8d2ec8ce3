package io.hubgate.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics listener's pipeline, driven through an {@link EmbeddedChannel} with raw HTTP bytes. */
class MetricsHttpHandlerTest {

    private static final String METRICS_HEAD_200 = "HTTP/1.1 200 OK\r\n"
            + "content-type: text/plain; version=0.0.4; charset=utf-8\r\n";
    private static final String NOT_FOUND = "HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\n\r\nNot Found";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        PrometheusProxyMetrics metrics = new PrometheusProxyMetrics(registry, false);
        metrics.requestWeb();
        metrics.requestProxy(503);
        channel = new EmbeddedChannel(new MetricsChannelInitializer(new MetricsHttpHandler(registry), 30));
    }

    @AfterEach
    void tearDown() {
        assertThat(channel.finishAndReleaseAll()).as("nothing left unread in the channel").isFalse();
    }

    /** Feeds raw request bytes and returns everything the pipeline wrote back, as text. */
    private String exchange(String request) {
        ByteBuf in = Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1);
        channel.writeInbound(in);
        assertThat(in.refCnt()).as("request bytes released").isZero();
        assertThat(channel.<Object>readInbound()).as("nothing passes the handler").isNull();
        StringBuilder out = new StringBuilder();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    private String expectedBody() {
        return new ChpTextFormatWriter().toText(registry.scrape());
    }

    @Test
    void metricsPathServesChpText() {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

        String body = expectedBody();
        assertThat(body).contains("\nrequests_web 1\n", "requests_proxy{status=\"503\"} 1\n");
        assertThat(response).isEqualTo(METRICS_HEAD_200
                + "content-length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anyMethodIsServed() {
        assertThat(exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"))
                .startsWith(METRICS_HEAD_200).endsWith(expectedBody());
        assertThat(exchange("DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith(METRICS_HEAD_200).endsWith(expectedBody());
    }

    @Test
    void headGetsHeadersWithoutBody() {
        String response = exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

        int length = expectedBody().getBytes(StandardCharsets.UTF_8).length;
        assertThat(response).isEqualTo(METRICS_HEAD_200 + "content-length: " + length + "\r\n\r\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void onlyTheExactRequestTargetIsServed() {
        for (String target : new String[]{"/metrics?x", "/metrics?", "/metrics/", "/Metrics", "/", "/foo",
                "http://x/metrics", "/metrics#a"}) {
            assertThat(exchange("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")).as(target).isEqualTo(NOT_FOUND);
        }
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void keepAliveServesPipelinedRequestsInOrder() {
        String response = exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /metrics?x HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith(NOT_FOUND + METRICS_HEAD_200).endsWith(expectedBody() + NOT_FOUND);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void connectionCloseIsHonoured() {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith(METRICS_HEAD_200).contains("\r\nconnection: close\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10ClosesUnlessKeepAliveAsked() {
        assertThat(exchange("GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
                .startsWith(METRICS_HEAD_200).contains("\r\nconnection: keep-alive\r\n");
        assertThat(channel.isOpen()).isTrue();

        assertThat(exchange("GET /metrics HTTP/1.0\r\n\r\n")).startsWith(METRICS_HEAD_200);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedRequestGets400AndClose() {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("connection: close\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void oversizedHeadGets431AndClose() {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void headersUpTo16KiBAreAccepted() {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(15_000) + "\r\n\r\n");

        assertThat(response).startsWith(METRICS_HEAD_200);
    }

    @Test
    void idleConnectionsAreClosed() {
        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }
}
