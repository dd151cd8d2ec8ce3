package io.hubgate.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Small, bounded clients for the process tests: JDK HTTP client, TCP probes, raw HTTP over UNIX sockets. */
final class Clients {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    private Clients() {
    }

    static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static HttpClient https(SSLContext tls, HttpClient.Redirect redirects) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(redirects).build();
    }

    static HttpResponse<String> get(HttpClient client, String url) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    /** True if a TCP connection to 127.0.0.1:port is refused (nothing listening). */
    static boolean refused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends {@code request} verbatim over a UNIX socket and returns everything the server sends until it
     * closes the connection (use {@code Connection: close}). Bounded: the channel is closed after 20 s.
     */
    static String unixExchange(Path socket, String request) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + socket + ": " + e, e);
        }
        CompletableFuture<String> exchange = CompletableFuture.supplyAsync(() -> {
            try {
                ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                InputStream in = Channels.newInputStream(channel);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return exchange.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no complete answer on " + socket + " within " + REQUEST_TIMEOUT, e);
        } catch (ExecutionException e) {
            throw new AssertionError("exchange on " + socket + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all we can do
            }
        }
    }

    /** The body of a raw HTTP/1.1 response read until close (no chunked framing expected). */
    static String bodyOf(String rawResponse) {
        int end = rawResponse.indexOf("\r\n\r\n");
        return end < 0 ? "" : rawResponse.substring(end + 4);
    }
}
