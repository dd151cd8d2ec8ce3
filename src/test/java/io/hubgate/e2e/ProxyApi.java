package io.hubgate.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Reads the proxy's route table through its REST API, the way JupyterHub does. */
final class ProxyApi {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI routes;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    ProxyApi(int apiPort, String token) {
        this.routes = URI.create("http://127.0.0.1:" + apiPort + "/api/routes");
        this.token = token;
    }

    /** {@code GET /api/routes}: the whole table, keyed by route path. */
    JsonNode routes() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(routes)
                .header("Authorization", "token " + token)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + routes + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    static ObjectMapper json() {
        return JSON;
    }
}
