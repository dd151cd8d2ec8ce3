package io.hubgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.config.ListenAddress;
import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateFixture;
import io.hubgate.testing.RawHttp;
import io.hubgate.testing.WebSocketBackend;
import io.hubgate.testing.WsFrames;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** CHP's metrics (chp-behaviour §5) move exactly as CHP's do, scraped from a running Hubgate. */
class ProxyMetricsBehaviourTest {

    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void countersFollowTraffic() throws Exception {
        try (HttpBackend backend = new HttpBackend("b"); WebSocketBackend ws = new WebSocketBackend();
             HubgateFixture f = HubgateFixture.start(b -> {
                 b.defaultTarget = backend.url();
                 b.metricsListen = ListenAddress.tcp("127.0.0.1", 0);
             })) {
            String metricsUrl = "http://127.0.0.1:" + f.server.metricsPort() + "/metrics";
            f.addRoute("/ws", ws.url());
            f.addRoute("/dead", "http://127.0.0.1:1");
            f.get("/a");
            f.get("/b/status/404");
            f.get("/_chp_healthz");
            f.get("/dead/x");
            try (RawHttp raw = new RawHttp(f.server.proxyPort())) {
                raw.send(WsFrames.handshake("/ws", "a"));
                assertThat(raw.read(true).status()).isEqualTo(101);
            }
            f.api("GET", "", null);
            f.api("GET", "/ws", null);
            f.api("DELETE", "/nope", null);
            f.send(HttpRequest.newBuilder(URI.create(f.apiUrl())).GET().build()); // 403: no token

            HttpResponse<String> scrape = f.send(HttpRequest.newBuilder(URI.create(metricsUrl)).GET().build());
            assertThat(scrape.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            String m = scrape.body();
            assertThat(value(m, "requests_web")).isEqualTo(3); // health check not counted
            assertThat(value(m, "requests_ws")).isEqualTo(1);
            assertThat(value(m, "requests_proxy{status=\"200\"}")).isEqualTo(1);
            assertThat(value(m, "requests_proxy{status=\"404\"}")).isEqualTo(1);
            assertThat(value(m, "requests_proxy{status=\"503\"}")).isEqualTo(1);
            assertThat(value(m, "api_route_add")).isEqualTo(2); // the default route is not an API call
            assertThat(value(m, "api_route_get")).isEqualTo(1); // full-table GETs only
            assertThat(value(m, "api_route_delete")).isEqualTo(1); // a 404 DELETE counts too
            assertThat(value(m, "requests_api{status=\"201\"}")).isEqualTo(2);
            assertThat(value(m, "requests_api{status=\"403\"}")).isEqualTo(1);
            assertThat(value(m, "find_target_for_req_count")).isEqualTo(4);
            assertThat(m).contains("# TYPE find_target_for_req summary").contains("find_target_for_req{quantile=\"0.5\"}");
            assertThat(m).contains("# TYPE requests_web counter").doesNotContain("requests_web_total");
        }
    }
}
