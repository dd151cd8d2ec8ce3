package io.hubgate.lifecycle;

import static io.hubgate.lifecycle.Clients.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics listener of the real process: CHP's metric names, JVM metrics, values that follow traffic. */
class MetricsProcessIT {

    @TempDir
    Path tmp;

    /** The value of the sample whose name and labels are exactly {@code series}; fails if absent. */
    private static double sample(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        assertThat(m.find()).as("sample %s in\n%s", series, exposition).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String scrape(HttpClient client, int port) {
        HttpResponse<String> response = get(client, "http://127.0.0.1:" + port + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        return response.body();
    }

    @Test
    void chpMetricsMoveWithTraffic() throws Exception {
        try (HttpBackend backend = new HttpBackend("default");
             HubgateProcess p = HubgateProcess.start(tmp, "metrics", List.of("--ip", "127.0.0.1", "--port", "0",
                     "--api-ip", "127.0.0.1", "--api-port", "0", "--metrics-ip", "127.0.0.1", "--metrics-port", "0",
                     "--default-target", backend.url()))) {
            p.awaitStdout("Route added /");
            int metrics = p.metricsPort();
            int proxy = p.proxyPort();
            int api = p.apiPort();
            HttpClient client = Clients.http();

            String before = scrape(client, metrics);
            assertThat(before).contains("# TYPE requests_web counter", "# TYPE find_target_for_req summary")
                    .containsPattern("(?m)^jvm_\\w+(\\{[^}]*\\})? \\S+$");
            // The default route was added at startup, not through the API.
            double webBefore = sample(before, "requests_web");
            double addBefore = sample(before, "api_route_add");

            for (int i = 0; i < 5; i++) {
                assertThat(get(client, "http://127.0.0.1:" + proxy + "/m" + i).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> added = Clients.send(client, HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api + "/api/routes/user/metrics"))
                    .timeout(Clients.REQUEST_TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"" + backend.url() + "\"}")).build());
            assertThat(added.statusCode()).isEqualTo(201);

            String after = scrape(client, metrics);
            assertThat(sample(after, "requests_web")).isEqualTo(webBefore + 5);
            assertThat(sample(after, "requests_proxy{status=\"200\"}")).isGreaterThanOrEqualTo(5);
            assertThat(sample(after, "api_route_add")).isEqualTo(addBefore + 1);
            assertThat(sample(after, "requests_api{status=\"201\"}")).isEqualTo(1);
            assertThat(sample(after, "find_target_for_req{quantile=\"0.5\"}")).isPositive();
            assertThat(sample(after, "find_target_for_req_count")).isGreaterThanOrEqualTo(5);
            assertThat(sample(after, "process_resident_memory_bytes")).isPositive();
        }
    }
}
