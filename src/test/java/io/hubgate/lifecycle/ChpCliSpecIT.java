package io.hubgate.lifecycle;

import static io.hubgate.lifecycle.Clients.get;
import static io.hubgate.lifecycle.Clients.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * CHP's own command-line suite ({@code test/cli_spec.js}, all six cases, spec §8.3) against the real
 * process: same arguments, same readiness rule (wait for {@code Route added /} and, with a redirect port,
 * {@code Added HTTP to HTTPS redirection} on stdout), same expectations. Ports are free ones instead of
 * CHP's fixed 8902/8913; as in CHP's suite the API port is left to its default, {@code --port} + 1.
 */
class ChpCliSpecIT {

    @TempDir
    static Path pkiDir;
    static ProcessPki pki;
    static HttpBackend backend;

    @TempDir
    Path tmp;

    private final List<HubgateProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startBackend() throws Exception {
        pki = new ProcessPki(pkiDir);
        backend = new HttpBackend("default");
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @AfterEach
    void killProcesses() {
        processes.forEach(HubgateProcess::close);
    }

    private HubgateProcess start(String name, List<String> args) {
        HubgateProcess p = HubgateProcess.start(tmp, name, args);
        processes.add(p);
        return p;
    }

    /** A free port whose successor is free too (the API's default port). */
    private static int freePortWithFreeSuccessor() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = HubgateProcess.freePorts(1)[0];
            if (port >= 65535) {
                continue;
            }
            try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair found in 50 attempts");
    }

    private List<String> baseArgs(int port) {
        return new ArrayList<>(List.of("--ip", "127.0.0.1", "--port", Integer.toString(port),
                "--default-target", backend.url()));
    }

    private List<String> sslArgs() {
        return List.of("--ssl-cert", pki.server.cert().toString(), "--ssl-key", pki.server.key().toString());
    }

    private static JsonNode answerOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status, body %s", response.body()).isEqualTo(200);
        return json(response.body());
    }

    // 1
    @Test
    void basicHttpRequest() throws Exception {
        int port = freePortWithFreeSuccessor();
        HubgateProcess p = start("basic-http", baseArgs(port));
        p.awaitStdout("Route added /");

        JsonNode answer = answerOf(get(Clients.http(), "http://127.0.0.1:" + port));
        assertThat(answer.get("name").asString()).isEqualTo("default");
        // The API took CHP's default port, --port + 1.
        assertThat(p.apiPort()).isEqualTo(port + 1);
    }

    // 2
    @Test
    void basicHttpsRequest() throws Exception {
        int port = freePortWithFreeSuccessor();
        List<String> args = baseArgs(port);
        args.addAll(sslArgs());
        HubgateProcess p = start("basic-https", args);
        p.awaitStdout("Route added /");

        HttpClient https = Clients.https(pki.clientContext(null), HttpClient.Redirect.NEVER);
        JsonNode answer = answerOf(get(https, "https://127.0.0.1:" + port));
        assertThat(answer.get("name").asString()).isEqualTo("default");
    }

    // 3
    @Test
    void redirectPort() throws Exception {
        int port = freePortWithFreeSuccessor();
        int redirectPort = HubgateProcess.freePorts(1)[0];
        List<String> args = baseArgs(port);
        args.addAll(sslArgs());
        args.addAll(List.of("--redirect-port", Integer.toString(redirectPort)));
        HubgateProcess p = start("redirect-port", args);
        p.awaitStdout("Route added /");
        p.awaitStdout("Added HTTP to HTTPS redirection from " + redirectPort + " to " + port + "$");

        HttpResponse<String> redirect = get(Clients.http(), "http://127.0.0.1:" + redirectPort);
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + port + "/");

        // Following it reaches the default target over HTTPS.
        HttpClient following = Clients.https(pki.clientContext(null), HttpClient.Redirect.ALWAYS);
        HttpResponse<String> followed = get(following, "http://127.0.0.1:" + redirectPort);
        assertThat(followed.uri().toString()).isEqualTo("https://127.0.0.1:" + port + "/");
        assertThat(answerOf(followed).get("name").asString()).isEqualTo("default");
    }

    // 4
    @Test
    void redirectTo() throws Exception {
        int port = freePortWithFreeSuccessor();
        int[] free = HubgateProcess.freePorts(2);
        int redirectPort = free[0];
        int redirectTo = free[1];
        List<String> args = baseArgs(port);
        args.addAll(sslArgs());
        args.addAll(List.of("--redirect-port", Integer.toString(redirectPort),
                "--redirect-to", Integer.toString(redirectTo)));
        HubgateProcess p = start("redirect-to", args);
        p.awaitStdout("Route added /");
        p.awaitStdout("Added HTTP to HTTPS redirection from " + redirectPort + " to " + redirectTo + "$");

        HttpResponse<String> redirect = get(Clients.http(), "http://127.0.0.1:" + redirectPort + "/some/path?q=1");
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location"))
                .hasValue("https://127.0.0.1:" + redirectTo + "/some/path?q=1");
        assertThat(redirect.body()).isEmpty();
    }

    // Beyond cli_spec: Q18, README difference 24.
    @Test
    void redirectTo443OmitsTheDefaultPort() throws Exception {
        int port = freePortWithFreeSuccessor();
        int redirectPort = HubgateProcess.freePorts(1)[0];
        List<String> args = baseArgs(port);
        args.addAll(sslArgs());
        args.addAll(List.of("--redirect-port", Integer.toString(redirectPort), "--redirect-to", "443"));
        HubgateProcess p = start("redirect-to-443", args);
        p.awaitStdout("Added HTTP to HTTPS redirection from " + redirectPort + " to 443$");

        HttpResponse<String> redirect = get(Clients.http(), "http://127.0.0.1:" + redirectPort + "/hub/login");
        assertThat(redirect.statusCode()).isEqualTo(301);
        // CHP wrote https://127.0.0.1:443/hub/login.
        assertThat(redirect.headers().firstValue("Location")).hasValue("https://127.0.0.1/hub/login");
    }

    // 5
    @Test
    void customHeader() throws Exception {
        int port = freePortWithFreeSuccessor();
        List<String> args = baseArgs(port);
        args.addAll(sslArgs());
        args.addAll(List.of("--custom-header", "k1: v1", "--custom-header", " k2 : host:123 "));
        HubgateProcess p = start("custom-header", args);
        p.awaitStdout("Route added /");

        HttpClient https = Clients.https(pki.clientContext(null), HttpClient.Redirect.NEVER);
        JsonNode headers = answerOf(get(https, "https://127.0.0.1:" + port)).get("headers");
        assertThat(headers.get("k1").asString()).isEqualTo("v1");
        assertThat(headers.get("k2").asString()).isEqualTo("host:123");
    }

    // 6
    @Test
    void invalidCustomHeader() throws Exception {
        int port = freePortWithFreeSuccessor();
        List<String> args = baseArgs(port);
        args.addAll(List.of("--custom-header", "invalid"));
        HubgateProcess p = start("invalid-custom-header", args);

        assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(p.stderr()).contains("colon was expected");
        assertThat(Clients.refused(port)).as("nothing listens on %s", port).isTrue();
    }
}
