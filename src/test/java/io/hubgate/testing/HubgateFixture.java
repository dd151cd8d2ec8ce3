package io.hubgate.testing;

import io.hubgate.config.HubgateConfig;
import io.hubgate.config.ListenAddress;
import io.hubgate.lifecycle.HubgateServer;
import io.hubgate.lifecycle.ServerParts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Starts a real Hubgate in-process on free loopback ports and talks to its proxy and API with real
 * HTTP clients. Token {@code secret}.
 */
public final class HubgateFixture implements AutoCloseable {

    public static final String TOKEN = "secret";

    public final HubgateServer server;
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HubgateFixture(HubgateServer server) {
        this.server = server;
    }

    /** Starts Hubgate with the production wiring ({@link ServerParts}): real TLS contexts and metrics. */
    public static HubgateFixture start(Consumer<HubgateConfig.Builder> customize) {
        HubgateConfig.Builder b = HubgateConfig.builder();
        b.proxyListen = ListenAddress.tcp("127.0.0.1", 0);
        b.apiListen = ListenAddress.tcp("127.0.0.1", 0);
        b.authToken = TOKEN;
        customize.accept(b);
        HubgateConfig config = b.build();
        try {
            return new HubgateFixture(HubgateServer.start(config, ServerParts.from(config)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + server.proxyPort();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.apiPort() + "/api/routes";
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(proxyUrl() + path)).GET().build());
    }

    public HttpResponse<String> api(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .header("Authorization", "token " + TOKEN);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    public void addRoute(String path, String target) {
        HttpResponse<String> r = api("POST", path, "{\"target\":\"" + target + "\"}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("add route " + path + " failed: " + r.statusCode() + " " + r.body());
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
