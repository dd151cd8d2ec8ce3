package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Q24: ambiguous request framing gets 400 and the connection closed; nothing ambiguous reaches the
 * upstream. Q23: the documented limits (16 KiB request line, 16 KiB header section).
 */
class RequestFramingTest {

    static HttpBackend backend;
    static HubgateFixture hub;

    @BeforeAll
    static void start() {
        backend = new HttpBackend("default");
        hub = HubgateFixture.start(b -> b.defaultTarget = backend.url());
    }

    @AfterAll
    static void stop() {
        hub.close();
        backend.close();
    }

    static Stream<Arguments> ambiguous() {
        return Stream.of(
                Arguments.of("CL and TE", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("two different CLs", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("CL list", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!"),
                Arguments.of("duplicate equal CLs", "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"),
                Arguments.of("TE not ending in chunked", "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
                Arguments.of("TE gzip only", "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
                Arguments.of("TE chunked twice", "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                Arguments.of("obs-fold", "GET /x HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n"),
                Arguments.of("bare LF in request line", "GET /x HTTP/1.1\nHost: a\r\n\r\n"),
                Arguments.of("bare CR in header", "GET /x HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n"),
                Arguments.of("NUL in header value", "GET /x HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n"),
                Arguments.of("duplicate Host", "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                Arguments.of("space before colon", "GET /x HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n"),
                Arguments.of("TE in HTTP/1.0", "POST /x HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguous")
    void ambiguousFramingIsRejected(String name, String request) throws Exception {
        int before = backend.seenUrls.size();
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(request);
            RawHttp.Response r = raw.read();
            assertThat(r.status()).as(name).isEqualTo(400);
            assertThat(raw.closedByPeer()).as(name + ": connection closed").isTrue();
        }
        assertThat(backend.seenUrls.size()).as(name + ": nothing forwarded").isEqualTo(before);
    }

    /** A broken chunk is found after the head was streamed: 400 to the client, upstream request aborted. */
    @Test
    void badChunkSizeIs400AndClosed() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void longUrlsUpTo16KiBWork() throws Exception {
        String path = "/long/" + "a".repeat(8 * 1024);
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void tooLongRequestLineIs414() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("GET /" + "a".repeat(17 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(414);
        }
    }

    @Test
    void tooLargeHeaderSectionIs431() throws Exception {
        StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 20; i++) {
            req.append("X-H").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
        }
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(req.append("\r\n").toString());
            assertThat(raw.read().status()).isEqualTo(431);
        }
    }

    @Test
    void headersJustUnder16KiBWork() throws Exception {
        StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 14; i++) {
            req.append("X-H").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
        }
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send(req.append("\r\n").toString());
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedUploadAndPipelinedRequestsWork() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("POST /one HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + "GET /two HTTP/1.1\r\nHost: a\r\n\r\n");
            RawHttp.Response one = raw.read();
            RawHttp.Response two = raw.read();
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.bodyText()).contains("\"url\":\"/one\"").contains("\"bodyLength\":5");
            assertThat(two.bodyText()).contains("\"url\":\"/two\"");
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterResponse() throws Exception {
        try (RawHttp raw = new RawHttp(hub.server.proxyPort())) {
            raw.send("GET /ten HTTP/1.0\r\n\r\n");
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(raw.closedByPeer()).isTrue();
        }
    }
}
