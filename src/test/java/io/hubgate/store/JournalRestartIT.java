package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real processes, real SIGKILL: 1,000 routes with varied JSON data come back byte for byte after a crash
 * and route correctly before anyone re-adds them; {@code last_activity} survives a periodic flush and a clean
 * shutdown; plain {@code hubgate} (no {@code --storage-backend}) keeps nothing, as CHP.
 */
@Timeout(300)
class JournalRestartIT {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static HttpBackend backend;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBackend() {
        backend = new HttpBackend("journal-it");
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    /** A route as the test POSTs it and then expects it to be routed. */
    record TestRoute(int index, String path, String body, String host, String requestPath) {
    }

    static final String[] NAMES = {"zoë", "秀樹", "~TestJH", "has@", "with space", "plain", "emoji🎉", "ünï-cödé"};

    /** 1,000 routes; in host-routing mode every route is a host route, a third of them with a path below the host. */
    static List<TestRoute> thousandRoutes(boolean hostRouting) {
        Random random = new Random(20261122);
        List<TestRoute> routes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = NAMES[i % NAMES.length] + "-" + i;
            String host = null;
            String path;
            String requestPath;
            if (hostRouting) {
                host = "h" + i + ".example.org";
                String below = i % 3 == 0 ? "/user/" + name : "";
                path = "/" + host + below;
                requestPath = below + "/probe";
            } else {
                path = "/user/" + name;
                requestPath = path + "/probe";
            }
            StringBuilder body = new StringBuilder("{\"target\":\"" + backend.url() + "/t/" + i + "\",\"user\":");
            body.append(MAPPER.writeValueAsString(name));
            body.append(",\"ünïcödé ключ ✓\":{\"level\":").append(i)
                    .append(",\"list\":[").append(i).append(",0.5,1.0,-0.0,1e-7,12345678901234567890123,true,false,null,\"s\"]")
                    .append(",\"deep\":{\"a\":{\"b\":{\"c\":[{},[]]}}}}")
                    .append(",\"escapes\":\"quote \\\" backslash \\\\ newline \\n tab \\t ctrl \\u0001 sep \\u2028\"")
                    .append(",\"emoji\":\"🎉\",\"server_name\":\"\"");
            if (i % 5 == 0) {
                body.append(",\"last_activity\":\"posted, keeps its place\",\"after\":1");
            }
            if (random.nextBoolean()) {
                body.append(",\"extra\":").append(random.nextLong());
            }
            body.append('}');
            routes.add(new TestRoute(i, path, body.toString(), host, requestPath));
        }
        return routes;
    }

    /** A process on loopback ports, listening; Netty's leak reports fail the test at close. */
    HubgateProcess start(String name, HubgateProcess.Options options, List<String> args) {
        return HubgateProcess.startOnLoopback(tmp, name, options, args).awaitListening();
    }

    HubgateProcess start(String name, List<String> args) {
        return start(name, HubgateProcess.Options.failingOnLeaks(), args);
    }

    static List<String> journalArgs(Path state, String... more) {
        List<String> args = new ArrayList<>(List.of("--storage-backend", "file://" + state,
                "--default-target", backend.url() + "/default"));
        args.addAll(List.of(more));
        return args;
    }

    @ParameterizedTest(name = "host routing: {0}")
    @ValueSource(booleans = {false, true})
    void aThousandRoutesSurviveSigkillByteForByteAndRouteBeforeTheHubReAddsThem(boolean hostRouting) {
        Path state = tmp.resolve("state");
        List<String> args = hostRouting ? journalArgs(state, "--host-routing") : journalArgs(state);
        List<TestRoute> routes = thousandRoutes(hostRouting);
        byte[] before;
        try (HubgateProcess first = start("first", args)) {
            for (TestRoute r : routes) {
                assertThat(first.post(HubgateProcess.encodePath(r.path()), r.body())).as(r.path()).isEqualTo(201);
            }
            before = first.routesBytes();
            first.kill();
        }
        JsonNode table = MAPPER.readTree(before);
        assertThat(table.size()).isEqualTo(1001); // and the default route "/"

        try (HubgateProcess second = start("second", args)) {
            assertThat(second.logged("Restored 1001 routes from journal in " + state)).isTrue();
            assertThat(second.logged("Keeping restored route / -> " + backend.url() + "/default")).isTrue();
            assertThat(new String(second.routesBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(before, StandardCharsets.UTF_8));
            assertThat(second.routesBytes()).isEqualTo(before);

            String defaultHost = "127.0.0.1:" + second.proxyPort();
            for (TestRoute r : routes) {
                String response = second.proxyGet(r.host() != null ? r.host() : defaultHost,
                        HubgateProcess.encodePath(r.requestPath()));
                assertThat(response).as(r.path()).startsWith("HTTP/1.1 200 ")
                        .contains("\"url\":\"/t/" + r.index() + "/");
            }
            assertThat(second.proxyGet(defaultHost, "/nowhere/x")).startsWith("HTTP/1.1 200 ")
                    .contains("\"url\":\"/default/nowhere/x\"");
            assertThat(second.terminate()).isEqualTo(2);
        }
    }

    static long lastActivity(HubgateProcess p, String path) {
        JsonNode route = MAPPER.readTree(p.api("GET", path, null).body());
        return Instant.parse(route.get("last_activity").asString()).toEpochMilli();
    }

    @Test
    void lastActivityIsFlushedPeriodicallyAndAtACleanShutdown() throws Exception {
        Path state = tmp.resolve("state");
        List<String> args = journalArgs(state, "--state-flush-interval", "200");
        Path journal = state.resolve("routes.journal");
        long touched;
        try (HubgateProcess first = start("first", args)) {
            assertThat(first.post("/act", "{\"target\":\"" + backend.url() + "/act\"}")).isEqualTo(201);
            long added = lastActivity(first, "/act");
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
                first.proxyGet("127.0.0.1", "/act/x"); // a later millisecond than the add, eventually
                return lastActivity(first, "/act") > added;
            });
            touched = lastActivity(first, "/act");
            // the periodic flush writes it (no request of ours writes anything): wait for it, then crash
            Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> Files.readString(journal, StandardCharsets.UTF_8).contains("\"/act\":" + touched));
            first.kill();
        }
        long again;
        try (HubgateProcess second = start("second", args)) {
            assertThat(lastActivity(second, "/act")).isEqualTo(touched);
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
                second.proxyGet("127.0.0.1", "/act/y");
                return lastActivity(second, "/act") > touched;
            });
            again = lastActivity(second, "/act");
            assertThat(second.terminate()).isEqualTo(2); // SIGTERM: the final flush
        }
        try (HubgateProcess third = start("third", journalArgs(state, "--state-flush-interval", "3600000"))) {
            assertThat(lastActivity(third, "/act")).isEqualTo(again);
        }
    }

    @Test
    void plainHubgateKeepsRoutesInMemoryOnlyAndWritesNoFiles() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("cwd"));
        List<String> args = List.of("--default-target", backend.url() + "/default");
        HubgateProcess.Options inWork = HubgateProcess.Options.failingOnLeaks();
        inWork.workDir = work; // its logs go to tmp, not here
        try (HubgateProcess first = start("first", inWork, args)) {
            assertThat(first.post("/kept-nowhere", "{\"target\":\"" + backend.url() + "/x\"}")).isEqualTo(201);
            assertThat(first.terminate()).isEqualTo(2);
        }
        try (Stream<Path> files = Files.list(work)) {
            assertThat(files).isEmpty();
        }
        try (HubgateProcess second = start("second", inWork, args)) {
            JsonNode table = MAPPER.readTree(second.routesBytes());
            assertThat(table.has("/kept-nowhere")).isFalse();
            assertThat(table.has("/")).isTrue();
            assertThat(second.logged("Restored")).isFalse();
        }
    }
}
