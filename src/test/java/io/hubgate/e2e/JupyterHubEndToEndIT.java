package io.hubgate.e2e;

import io.hubgate.testing.FreePorts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hubgate.e2e.E2eProcesses.Started;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Drives a real JupyterHub through a CHP-compatible proxy, as a user's browser would: log in,
 * start a server, reach it and its websocket through the proxy, stop it.
 *
 * <p>Two deployment modes:
 * <ul>
 *   <li>hub-managed: the hub starts the proxy command with CHP's flags and stops it with SIGTERM;</li>
 *   <li>external: the proxy runs as its own service; the hub is restarted underneath an open
 *       websocket, which must keep working, as must the route table.</li>
 * </ul>
 *
 * <p>The proxy is {@code -Dhubgate.e2e.proxy=<executable>} (default {@code ${hubgate.home}/bin/hubgate});
 * the real CHP ({@code /usr/bin/configurable-http-proxy}) passes this test. JupyterHub is
 * {@code -Dhubgate.e2e.jupyterhub} (default {@code /usr/bin/jupyterhub}); the single-user server is a
 * tornado fixture ({@code src/test/resources/e2e/singleuser.py}) run by the hub's Python
 * ({@code -Dhubgate.e2e.python} overrides). Missing programs skip the test; it never installs anything.
 *
 * <p>Run alone: {@code mvn verify -Dit.test=JupyterHubEndToEndIT -Dhubgate.e2e.proxy=/usr/bin/configurable-http-proxy}.
 * On failure the logs of the hub(s), the proxy and the single-user server are printed and the
 * temporary directory (database, settings, logs) is kept.
 */
@Timeout(value = 80, unit = TimeUnit.SECONDS)
class JupyterHubEndToEndIT {

    private static final String USER = "alice";
    private static final String USER_PREFIX = "/user/alice/";
    private static final String USER_ROUTE = "/user/alice";
    private static final String PAGE_MARKER = "hubgate-e2e-singleuser-page";
    private static final Pattern PAGE_PID = Pattern.compile("pid=(\\d+)");

    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(15);
    private static final Duration ECHO = Duration.ofSeconds(5);

    /** Hub log lines that mean the hub disagreed with the proxy's route table and is rewriting it. */
    private static final List<String> ROUTE_CHURN = List.of(
            "Adding missing route", "Updating route", "Updating Hub route", "Deleting stale route");

    private static Path jupyterhub;
    private static Path python;
    private static Path proxyCommand;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tempDir;

    private E2eProcesses processes;
    private int proxyPort;
    private int proxyApiPort;
    private int hubPort;
    private int singleUserPort;
    private final String proxyToken = randomToken();
    private final String adminToken = randomToken();
    private final String password = randomToken();
    private HubBrowser browser;
    private ProxyApi proxyApi;

    @RegisterExtension
    final AfterTestExecutionCallback printLogsOnFailure = context -> {
        // Runs before @AfterEach kills the processes, so the logs are complete.
        if (context.getExecutionException().isPresent() && processes != null) {
            processes.printLogs(System.err);
        }
    };

    @BeforeAll
    static void findPrograms() throws IOException {
        jupyterhub = Path.of(System.getProperty("hubgate.e2e.jupyterhub", "/usr/bin/jupyterhub"));
        assumeTrue(Files.isExecutable(jupyterhub),
                "JupyterHub is not installed at " + jupyterhub + " (-Dhubgate.e2e.jupyterhub); this test never installs it");
        python = pythonOf(jupyterhub);
        assumeTrue(Files.isExecutable(python), "no Python for the single-user fixture at " + python);

        String explicit = System.getProperty("hubgate.e2e.proxy", "");
        if (!explicit.isBlank()) {
            proxyCommand = Path.of(explicit).toAbsolutePath();
            // An explicit choice that is wrong is a mistake to report, not a reason to skip.
            assertThat(proxyCommand).as("-Dhubgate.e2e.proxy").isExecutable();
        } else {
            proxyCommand = Path.of(System.getProperty("hubgate.home", ".")).resolve("bin/hubgate").toAbsolutePath();
            assumeTrue(Files.isExecutable(proxyCommand), "the proxy launcher " + proxyCommand
                    + " does not exist yet (-Dhubgate.e2e.proxy=/usr/bin/configurable-http-proxy tests the real CHP)");
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        processes = new E2eProcesses(tempDir);
        // Whatever outlives its parent: the fixture runs from tempDir, a hub-started proxy carries the hub's URL.
        processes.killAtEndByCommandLine(tempDir.toString());
        int[] ports = FreePorts.pick(4);
        proxyPort = ports[0];
        proxyApiPort = ports[1];
        hubPort = ports[2];
        singleUserPort = ports[3];
        processes.killAtEndByCommandLine("http://127.0.0.1:" + hubPort + "/hub/error");
        copyResource("jupyterhub_config.py");
        copyResource("singleuser.py");
        browser = new HubBrowser(URI.create("http://127.0.0.1:" + proxyPort));
        proxyApi = new ProxyApi(proxyApiPort, proxyToken);
    }

    @AfterEach
    void killEverything() {
        processes.close();
    }

    /** Mode A: {@code c.ConfigurableHTTPProxy.command = [proxy]}; the hub starts and stops the proxy. */
    @Test
    void hubManagedProxyRoutesUserServerAndWebsocket() throws Exception {
        writeSettings("hub-managed");
        Path proxyPidFile = tempDir.resolve("jupyterhub-proxy.pid");

        Started hub = startHub("hub");
        awaitHubUp(hub);
        assertHubRoute();

        browser.logIn(USER, password);
        startUserServer();
        awaitUserPage();
        assertUserRoute();
        assertUserApiAnswers();

        try (EchoSocket ws = browser.openWebSocket(USER_PREFIX + "ws", STEP)) {
            assertEchoes(ws, "hello through the proxy");
            assertEchoes(ws, "x".repeat(100_000));
            awaitFurtherRouteChecks(hub, 2);

            stopUserServer();
            awaitUserRouteGone();
            awaitUserPageGone();
            assertThat(ws.awaitEnd(STEP)).as("websocket ends once its server is gone").isNotEmpty();
        }
        assertNoRouteChurn(hub);

        // Shutdown: the hub sends SIGTERM to the one pid it started, so that pid must be the proxy
        // itself (a launcher script has to exec it) and it must exit, with everything it started.
        ProcessHandle proxy = E2eProcesses.processFromPidFile(proxyPidFile)
                .orElseThrow(() -> new AssertionError("no live proxy pid in " + proxyPidFile));
        List<ProcessHandle> proxyTree = Stream.concat(Stream.of(proxy), proxy.descendants()).toList();
        processes.terminate(hub, STEP);
        try {
            await().atMost(STEP).pollInterval(Duration.ofMillis(100))
                    .until(() -> proxyTree.stream().noneMatch(ProcessHandle::isAlive));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the proxy outlived the hub's SIGTERM (to pid " + proxy.pid()
                    + "; a launcher script must exec the proxy); still running: "
                    + proxyTree.stream().filter(ProcessHandle::isAlive)
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList(), e);
        }
        assertPortClosed(proxyPort);
        assertPortClosed(proxyApiPort);
    }

    /**
     * Mode B: the proxy is a separate service ({@code should_start = False}); the hub restarts
     * while a user's websocket is open, and nothing the user sees may break.
     */
    @Test
    void externalProxyKeepsServingWhileTheHubRestarts() throws Exception {
        writeSettings("external");

        Started proxy = startExternalProxy();
        await("proxy API answers").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                .failFast("proxy exited", () -> !proxy.process().isAlive())
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> proxyApi.routes() != null);

        Started hub = startHub("hub-1");
        awaitHubUp(hub);
        assertHubRoute();

        browser.logIn(USER, password);
        startUserServer();
        long serverPid = pidOnPage(awaitUserPage());
        assertUserRoute();

        try (EchoSocket ws = browser.openWebSocket(USER_PREFIX + "ws", STEP)) {
            assertEchoes(ws, "before the restart");
            awaitFurtherRouteChecks(hub, 2);
            assertNoRouteChurn(hub);

            processes.terminate(hub, STEP);
            // The hub is down: its own pages fail, everything already routed keeps working.
            assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive))
                    .as("single-user server survives the hub (cleanup_servers = False)").contains(true);
            assertEchoes(ws, "while the hub is down");
            assertThat(pidOnPage(userPage())).isEqualTo(serverPid);
            assertThat(proxyApi.routes().has(USER_ROUTE)).as("route while the hub is down").isTrue();
            HttpResponse<String> hubDown = browser.get("/hub/api");
            assertThat(hubDown.statusCode()).as("/hub/api while the hub is down\n%s", hubDown.body()).isEqualTo(503);

            Started restarted = startHub("hub-2");
            assertEchoes(ws, "while the hub starts");
            awaitHubUp(restarted);
            assertEchoes(ws, "after the restart");
            assertThat(pidOnPage(userPage())).as("same server after the restart").isEqualTo(serverPid);
            assertUserRoute();
            assertHubSeesServerReady();
            awaitFurtherRouteChecks(restarted, 2);
            assertNoRouteChurn(restarted);
            assertEchoes(ws, "after the hub checked the routes");

            stopUserServer();
            awaitUserRouteGone();
            awaitUserPageGone();
            assertThat(ws.awaitEnd(STEP)).as("websocket ends once its server is gone").isNotEmpty();
        }
        assertThat(proxy.process().isAlive()).as("the external proxy is still running").isTrue();
    }

    // ---- processes ------------------------------------------------------------------------------

    private Started startHub(String name) {
        return processes.start(name,
                List.of(jupyterhub.toString(), "-f", tempDir.resolve("jupyterhub_config.py").toString()),
                tempDir,
                Map.of("HUBGATE_E2E_SETTINGS", tempDir.resolve("settings.json").toString()));
    }

    /** Starts the proxy the way z2jh runs CHP as its own service: {@code --flag=value} words, token in the environment. */
    private Started startExternalProxy() {
        String hub = "http://127.0.0.1:" + hubPort;
        return processes.start("proxy", List.of(
                        proxyCommand.toString(),
                        "--ip=127.0.0.1",
                        "--port=" + proxyPort,
                        "--api-ip=127.0.0.1",
                        "--api-port=" + proxyApiPort,
                        "--default-target=" + hub,
                        "--error-target=" + hub + "/hub/error",
                        "--log-level=info"),
                tempDir,
                Map.of("CONFIGPROXY_AUTH_TOKEN", proxyToken));
    }

    private void writeSettings(String mode) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", mode);
        settings.put("state_dir", tempDir.toString());
        settings.put("proxy_port", proxyPort);
        settings.put("proxy_api_port", proxyApiPort);
        settings.put("hub_port", hubPort);
        settings.put("proxy_token", proxyToken);
        settings.put("proxy_command", proxyCommand.toString());
        settings.put("user_password", password);
        settings.put("admin_token", adminToken);
        settings.put("python", python.toString());
        settings.put("singleuser_script", tempDir.resolve("singleuser.py").toString());
        settings.put("singleuser_port", singleUserPort);
        Files.writeString(tempDir.resolve("settings.json"), ProxyApi.json().writeValueAsString(settings));
    }

    private void copyResource(String name) throws IOException {
        try (InputStream in = JupyterHubEndToEndIT.class.getResourceAsStream("/e2e/" + name)) {
            assertThat(in).as("test resource e2e/%s", name).isNotNull();
            Files.copy(in, tempDir.resolve(name));
        }
    }

    // ---- steps ----------------------------------------------------------------------------------

    private void awaitHubUp(Started hub) {
        await(hub.name() + " answers /hub/api through the proxy")
                .atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                .failFast(hub.name() + " exited", () -> !hub.process().isAlive())
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    HttpResponse<String> response = browser.get("/hub/api");
                    return response.statusCode() == 200 && response.body().contains("\"version\"");
                });
    }

    private void startUserServer() throws Exception {
        HttpResponse<String> response = browser.api("POST", "/hub/api/users/" + USER + "/server", adminToken);
        assertThat(response.statusCode()).as("start server: %s", response.body()).isIn(201, 202);
    }

    private void stopUserServer() throws Exception {
        HttpResponse<String> response = browser.api("DELETE", "/hub/api/users/" + USER + "/server", adminToken);
        assertThat(response.statusCode()).as("stop server: %s", response.body()).isIn(202, 204);
    }

    private HttpResponse<String> userPage() throws IOException, InterruptedException {
        return browser.get(USER_PREFIX);
    }

    private String awaitUserPage() {
        HttpResponse<String> page = awaitResponse(USER_PREFIX, "serves the single-user page", STARTUP,
                response -> response.statusCode() == 200 && response.body().contains(PAGE_MARKER));
        return page.body();
    }

    private void awaitUserPageGone() {
        awaitResponse(USER_PREFIX, "no longer serves the single-user page", STEP,
                response -> !(response.statusCode() == 200 && response.body().contains(PAGE_MARKER)));
    }

    /** Polls {@code GET path} through the proxy until {@code condition} holds; on timeout, says what it last got. */
    private HttpResponse<String> awaitResponse(String path, String what, Duration timeout,
            Predicate<HttpResponse<String>> condition) {
        AtomicReference<HttpResponse<String>> match = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>("nothing yet");
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                try {
                    HttpResponse<String> response = browser.get(path);
                    last.set(response.statusCode() + " " + response.headers().map() + "\n" + response.body());
                    if (condition.test(response)) {
                        match.set(response);
                        return true;
                    }
                } catch (IOException e) {
                    last.set(e.toString());
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("GET " + path + " through the proxy " + what + ": not within " + timeout
                    + "; last answer: " + last.get(), e);
        }
        return match.get();
    }

    private void assertUserApiAnswers() throws Exception {
        HttpResponse<String> response = browser.get(USER_PREFIX + "api");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(ProxyApi.json().readTree(response.body()).path("version").asString()).isNotEmpty();
    }

    private void assertHubRoute() throws Exception {
        JsonNode route = proxyApi.routes().path("/");
        assertThat(route.path("hub").asBoolean()).as("hub route %s", route).isTrue();
        assertThat(route.path("jupyterhub").asBoolean()).as("hub route %s", route).isTrue();
        assertThat(route.path("target").asString()).isEqualTo("http://127.0.0.1:" + hubPort);
    }

    /** The user's route holds exactly the data the hub posted, plus the proxy's {@code last_activity}. */
    private void assertUserRoute() throws Exception {
        JsonNode routes = proxyApi.routes();
        assertThat(routes.has(USER_ROUTE)).as("routes %s", routes).isTrue();
        JsonNode route = routes.get(USER_ROUTE);
        assertThat(route.path("user").asString()).as("route %s", route).isEqualTo(USER);
        assertThat(route.has("server_name") && route.get("server_name").isString()
                && route.get("server_name").asString().isEmpty()).as("server_name in %s", route).isTrue();
        assertThat(route.path("jupyterhub").asBoolean()).as("route %s", route).isTrue();
        assertThat(route.path("target").asString()).isEqualTo("http://127.0.0.1:" + singleUserPort);
        // The hub parses this for activity tracking; it must be an ISO-8601 instant.
        assertThat(Instant.parse(route.path("last_activity").asString())).isBefore(Instant.now().plusSeconds(60));
    }

    private void awaitUserRouteGone() {
        await("route " + USER_ROUTE + " removed from the proxy")
                .atMost(STEP).pollInterval(Duration.ofMillis(100))
                .until(() -> !proxyApi.routes().has(USER_ROUTE));
    }

    private void assertHubSeesServerReady() throws Exception {
        HttpResponse<String> response = browser.api("GET", "/hub/api/users/" + USER, adminToken);
        assertThat(response.statusCode()).as("GET user: %s", response.body()).isEqualTo(200);
        JsonNode server = ProxyApi.json().readTree(response.body()).path("servers").path("");
        assertThat(server.path("ready").asBoolean()).as("the restarted hub adopted the server: %s", response.body()).isTrue();
    }

    private static void assertEchoes(EchoSocket ws, String message) throws Exception {
        String reply = ws.echo(message, ECHO);
        assertThat(reply).as("echo of a %d-character message", message.length()).isEqualTo(message);
    }

    /**
     * Waits for {@code count} more of the hub's periodic route checks ({@code GET /api/routes} and
     * compare; every second with this configuration), so that a proxy returning route data the hub
     * does not recognise is caught by {@link #assertNoRouteChurn}.
     */
    private static void awaitFurtherRouteChecks(Started hub, int count) {
        int before = occurrences(E2eProcesses.logOf(hub), "Checking routes");
        await(count + " more route checks by " + hub.name())
                .atMost(STEP).pollInterval(Duration.ofMillis(200))
                .until(() -> occurrences(E2eProcesses.logOf(hub), "Checking routes") >= before + count);
    }

    private static void assertNoRouteChurn(Started hub) {
        String log = E2eProcesses.logOf(hub);
        for (String churn : ROUTE_CHURN) {
            assertThat(log).as("%s log: the hub rewrote routes it should have recognised", hub.name())
                    .doesNotContain(churn);
        }
    }

    private static void assertPortClosed(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            throw new AssertionError("port " + port + " still accepts connections");
        } catch (ConnectException expected) {
            // refused: nothing listens any more
        } catch (IOException e) {
            throw new AssertionError("unexpected error probing port " + port, e);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static long pidOnPage(HttpResponse<String> page) {
        assertThat(page.statusCode()).as("user page\n%s", page.body()).isEqualTo(200);
        return pidOnPage(page.body());
    }

    private static long pidOnPage(String body) {
        assertThat(body).contains(PAGE_MARKER);
        Matcher pid = PAGE_PID.matcher(body);
        assertThat(pid.find()).as("pid on page %s", body).isTrue();
        return Long.parseLong(pid.group(1));
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    /** The interpreter in the jupyterhub script's {@code #!} line (so the fixture gets the hub's tornado). */
    private static Path pythonOf(Path jupyterhubScript) throws IOException {
        String configured = System.getProperty("hubgate.e2e.python", "");
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        String firstLine;
        try (var lines = Files.lines(jupyterhubScript, StandardCharsets.ISO_8859_1)) {
            firstLine = lines.findFirst().orElse("");
        }
        if (firstLine.startsWith("#!")) {
            String interpreter = firstLine.substring(2).trim().split("\\s+")[0];
            if (interpreter.startsWith("/") && !interpreter.endsWith("/env")) {
                return Path.of(interpreter);
            }
        }
        return Path.of("/usr/bin/python3");
    }

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
