package io.hubgate.lifecycle;

import static io.hubgate.lifecycle.Clients.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The process driven the way JupyterHub's {@code ConfigurableHTTPProxy} drives it (spec "What JupyterHub
 * relies on"): its command line (separate words, and the {@code --flag=value} form of deployments), the
 * token from the environment only, readiness by connecting to both ports within the hub's 10 s, route
 * calls with Tornado's form content type, the error target for a dead server, SIGTERM to the one pid.
 */
class JupyterHubStyleIT {

    private static final String TOKEN = "hub-generated-token";
    /** JupyterHub waits this long for each of the public and API ports ({@code Server.wait_up(10)}). */
    private static final Duration HUB_PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    static Stream<Arguments> commandLines() {
        Function<int[], List<String>> separateWords = p -> List.of("--ip", "127.0.0.1", "--port", "" + p[0],
                "--api-ip", "127.0.0.1", "--api-port", "" + p[1], "--error-target", "http://127.0.0.1:" + p[2] + "/hub/error");
        Function<int[], List<String>> equalsForm = p -> List.of("--ip=127.0.0.1", "--port=" + p[0],
                "--api-ip=127.0.0.1", "--api-port=" + p[1], "--error-target=http://127.0.0.1:" + p[2] + "/hub/error");
        return Stream.of(Arguments.of("separate-words", separateWords), Arguments.of("equals-form", equalsForm));
    }

    private static HttpRequest.Builder api(int apiPort, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/routes" + path))
                .header("Authorization", "token " + TOKEN)
                .timeout(Clients.REQUEST_TIMEOUT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void asJupyterHubRunsIt(String name, Function<int[], List<String>> commandLine) throws Exception {
        try (HttpBackend singleUser = new HttpBackend("alice");
             HttpBackend hub = new HttpBackend("hub")) {
            int[] ports = HubgateProcess.freePorts(2);
            int proxy = ports[0];
            int api = ports[1];
            HubgateProcess.Options options = new HubgateProcess.Options();
            options.env.put("CONFIGPROXY_AUTH_TOKEN", TOKEN);
            long started = System.nanoTime();
            try (HubgateProcess p = HubgateProcess.start(tmp, name, options,
                    commandLine.apply(new int[] {proxy, api, hub.port()}))) {
                // The hub's readiness check: TCP connections to both ports.
                Awaitility.await().atMost(HubgateProcess.STARTUP).pollInterval(Duration.ofMillis(20))
                        .until(() -> !Clients.refused(proxy) && !Clients.refused(api));
                Duration startup = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf("%s: both ports accepting %d ms after the process was started%n", name, startup.toMillis());
                assertThat(startup).as("within JupyterHub's patience").isLessThan(HUB_PATIENCE);

                HttpClient client = Clients.http();
                assertThat(Clients.send(client, api(api, "").GET().build()).body()).isEqualTo("{}");

                // JSON, but labelled as a form, as Tornado sends it; the path without its trailing slash.
                String data = "{\"user\":\"alice\",\"server_name\":\"\",\"target\":\"" + singleUser.url()
                        + "\",\"jupyterhub\":true}";
                HttpResponse<String> added = Clients.send(client, api(api, "/user/alice")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(data)).build());
                assertThat(added.statusCode()).isEqualTo(201);

                HttpResponse<String> page = get(client, "http://127.0.0.1:" + proxy + "/user/alice/lab");
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(Clients.json(page.body()).get("name").asString()).isEqualTo("alice");

                JsonNode route = Clients.json(Clients.send(client, api(api, "").GET().build()).body()).get("/user/alice");
                assertThat(route.get("user").asString()).isEqualTo("alice");
                assertThat(route.get("server_name").asString()).isEmpty();
                assertThat(route.get("target").asString()).isEqualTo(singleUser.url());
                assertThat(route.get("jupyterhub").asBoolean()).isTrue();
                assertThat(route.get("last_activity").asString()).isNotEmpty();

                // A stopped server: the hub's error page, under status 503.
                int dead = HubgateProcess.freePorts(1)[0];
                assertThat(Clients.send(client, api(api, "/user/bob")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"target\":\"http://127.0.0.1:" + dead
                                + "\",\"jupyterhub\":true}")).build()).statusCode()).isEqualTo(201);
                HttpResponse<String> down = get(client, "http://127.0.0.1:" + proxy + "/user/bob/tree?x=1");
                assertThat(down.statusCode()).isEqualTo(503);
                JsonNode errorRequest = Clients.json(down.body());
                assertThat(errorRequest.get("name").asString()).isEqualTo("hub");
                String errorUrl = errorRequest.get("url").asString();
                assertThat(errorUrl).startsWith("/hub/error/503?url=");
                assertThat(URLDecoder.decode(errorUrl.substring(errorUrl.indexOf('=') + 1), StandardCharsets.UTF_8))
                        .isEqualTo("/user/bob/tree?x=1");

                // The hub stops it with SIGTERM to the pid it started.
                long signalled = System.nanoTime();
                p.signal("TERM");
                assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
                assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(5));
                assertThat(p.stdout()).doesNotContain(TOKEN).doesNotContain("REST API is not authenticated");
            }
        }
    }
}
