package io.hubgate.api;

import io.hubgate.testing.HubgateFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST API seen through the JDK client, as JupyterHub uses it: {@code Authorization: token <t>}, a
 * 5 s request timeout (the hub's own), paths given already percent-encoded.
 */
final class ApiClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ISO_MILLIS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private final HttpClient http;
    private final String base;
    private final String token;

    ApiClient(HubgateFixture hub) {
        this(hub, HubgateFixture.TOKEN);
    }

    ApiClient(HubgateFixture hub, String token) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), hub, token);
    }

    ApiClient(HttpClient http, HubgateFixture hub, String token) {
        this.http = http;
        this.base = "http://127.0.0.1:" + hub.server.apiPort();
        this.token = token;
    }

    /** {@code path} is appended to {@code /api/routes} as given (already encoded). */
    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) {
        return send("POST", path, body);
    }

    HttpResponse<String> delete(String path) {
        return send("DELETE", path, null);
    }

    HttpResponse<String> send(String method, String path, String body, String... headerPairs) {
        return sendTo("/api/routes" + path, method, body, headerPairs);
    }

    /** Any path on the API port; {@code headerPairs} are name, value, name, value… */
    HttpResponse<String> sendTo(String rawPath, String method, String body, String... headerPairs) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rawPath)).timeout(Duration.ofSeconds(5));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            b.header(headerPairs[i], headerPairs[i + 1]);
            names.add(headerPairs[i].toLowerCase(java.util.Locale.ROOT));
        }
        if (token != null && !names.contains("authorization")) {
            b.header("Authorization", "token " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a route and insists on 201. */
    void add(String path, String body) {
        HttpResponse<String> r = post(path, body);
        if (r.statusCode() != 201) {
            throw new AssertionError("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
    }

    /** GET /api/routes (plus a query, e.g. {@code ?inactive_since=…}) parsed, insisting on 200. */
    ObjectNode all(String query) {
        HttpResponse<String> r = get(query);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/routes" + query + " -> " + r.statusCode() + " " + r.body());
        }
        return (ObjectNode) JSON.readTree(r.body());
    }

    ObjectNode all() {
        return all("");
    }

    static ObjectNode parse(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** Property names in document order. */
    static List<String> keys(ObjectNode node) {
        List<String> keys = new ArrayList<>();
        node.propertyNames().forEach(keys::add);
        return keys;
    }
}
