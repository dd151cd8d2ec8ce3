package io.hubgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpsRedirectHandlerTest {

    private static final String NO_HOST_8443 = "This server is HTTPS-only on port 8443, but an HTTP request was made"
            + " and the host could not be determined from the request.";

    /** A parsed response plus whether the server closed the connection after it. */
    record Response(int status, Map<String, String> headers, String body, boolean closed) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static EmbeddedChannel channel(int port) {
        return new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192), new HttpsRedirectHandler(port));
    }

    private static Response send(EmbeddedChannel channel, String rawRequest) {
        channel.writeInbound(Unpooled.copiedBuffer(rawRequest, StandardCharsets.ISO_8859_1));
        StringBuilder raw = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            raw.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        String text = raw.toString();
        int headerEnd = text.indexOf("\r\n\r\n");
        assertThat(headerEnd).as("a complete response in %s", text).isPositive();
        String[] lines = text.substring(0, headerEnd).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        return new Response(status, headers, text.substring(headerEnd + 4), !channel.isOpen());
    }

    private static Response request(int port, String rawRequest) {
        EmbeddedChannel channel = channel(port);
        try {
            return send(channel, rawRequest);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @ParameterizedTest(name = "[{index}] port {0}, Host {1}, {2} → {3}")
    @CsvSource(delimiter = '|', value = {
        // port | Host header         | request-target              | Location
        "8443   | example.org:8000    | /user/alice?x=1             | https://example.org:8443/user/alice?x=1",
        "8443   | example.org         | /                           | https://example.org:8443/",
        "8902   | 127.0.0.1:8913      | /                           | https://127.0.0.1:8902/",
        "443    | example.org:8000    | /hub/login                  | https://example.org/hub/login",
        "443    | example.org         | /                           | https://example.org/",
        "8443   | [::1]:8080          | /user/bob/                  | https://[::1]:8443/user/bob/",
        "8443   | [::1]               | /                           | https://[::1]:8443/",
        "443    | [2001:db8::7]:80    | /x                          | https://[2001:db8::7]/x",
        "8443   | Hub.Example.ORG     | /a%20b/%E7%A7%80?q=%2F&r    | https://Hub.Example.ORG:8443/a%20b/%E7%A7%80?q=%2F&r",
        "8443   | example.org:        | /                           | https://example.org:8443/",
        "8443   | example.org:8000    | http://example.org:8000/p?q | https://example.org:8443/p?q",
        "8443   | example.org:8000    | http://example.org:8000     | https://example.org:8443/",
        "8443   | example.org:8000    | *                           | https://example.org:8443/",
    })
    void redirectsToHttps(int port, String host, String target, String location) {
        Response response = request(port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo(location);
        assertThat(response.header("Content-Length")).isEqualTo("0");
        assertThat(response.body()).isEmpty();
        assertThat(response.closed()).isFalse();
    }

    @Test
    void anyMethodIsRedirectedAndTheConnectionStaysUsable() {
        EmbeddedChannel channel = channel(8443);
        try {
            Response post = send(channel, "POST /api/x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(post.status()).isEqualTo(301);
            assertThat(post.header("Location")).isEqualTo("https://h:8443/api/x");
            Response delete = send(channel, "DELETE /y HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(delete.header("Location")).isEqualTo("https://h:8443/y");
            assertThat(delete.closed()).isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void http10WithoutHostGetsChpsMessageAndTheConnectionIsClosed() {
        Response response = request(8443, "GET / HTTP/1.0\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(NO_HOST_8443);
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(NO_HOST_8443.length()));
        assertThat(response.closed()).isTrue();
    }

    @Test
    void http10WithHostIsRedirectedAndClosedUnlessKeepAlive() {
        Response plain = request(8443, "GET /a HTTP/1.0\r\nHost: h\r\n\r\n");
        assertThat(plain.status()).isEqualTo(301);
        assertThat(plain.header("Location")).isEqualTo("https://h:8443/a");
        assertThat(plain.closed()).isTrue();

        Response keepAlive = request(8443, "GET /a HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
        assertThat(keepAlive.status()).isEqualTo(301);
        assertThat(keepAlive.header("Connection")).isEqualToIgnoringCase("keep-alive");
        assertThat(keepAlive.closed()).isFalse();
    }

    @Test
    void http11WithoutHostKeepsTheConnection() {
        Response response = request(8443, "GET / HTTP/1.1\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(NO_HOST_8443);
        assertThat(response.closed()).isFalse();
    }

    @Test
    void theMessageNamesTheTargetPortEvenWhenItIs443() {
        Response response = request(443, "GET / HTTP/1.0\r\n\r\n");
        assertThat(response.body()).startsWith("This server is HTTPS-only on port 443, but");
    }

    @Test
    void headWithoutHostGetsNoBody() {
        Response response = request(8443, "HEAD / HTTP/1.1\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.org", "evil.example/path?", "example.org:80x", "::1", "[::1", "[not-v6]:80",
        "example.org:8000:1", "user@example.org"})
    void unusableHostHeadersGetThe400(String host) {
        Response response = request(8443, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(NO_HOST_8443);
    }

    @Test
    void twoHostHeadersGetThe400() {
        Response response = request(8443, "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void aMalformedRequestGets400AndIsClosed() {
        Response response = request(8443, "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: nope\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.closed()).isTrue();
    }

    @Test
    void portMustBeValid() {
        assertThatThrownBy(() -> new HttpsRedirectHandler(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpsRedirectHandler(65536)).isInstanceOf(IllegalArgumentException.class);
    }
}
