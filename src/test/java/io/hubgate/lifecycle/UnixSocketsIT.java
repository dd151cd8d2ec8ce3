package io.hubgate.lifecycle;

import static io.hubgate.lifecycle.Clients.bodyOf;
import static io.hubgate.lifecycle.Clients.unixExchange;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Q19: the proxy, the REST API and metrics on UNIX sockets ({@code --socket}, {@code --api-socket},
 * {@code --metrics-socket}), socket files removed at exit, a stale file from a killed process replaced,
 * and a socket someone is listening on (or a file that is not a socket) left alone with exit 1.
 */
class UnixSocketsIT {

    private static final Duration EXIT = Duration.ofSeconds(30);

    static HttpBackend backend;

    @TempDir
    Path tmp;

    private final List<HubgateProcess> processes = new ArrayList<>();

    @BeforeAll
    static void startBackend() {
        backend = new HttpBackend("default");
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @AfterEach
    void cleanup() {
        processes.forEach(HubgateProcess::close);
    }

    private record Sockets(Path proxy, Path api, Path metrics) {
        List<String> args() {
            return List.of("--socket", proxy.toString(), "--api-socket", api.toString(),
                    "--metrics-socket", metrics.toString());
        }
    }

    private Sockets sockets() {
        // Short paths: sun_path holds about 107 bytes, and @TempDir paths can be long.
        return new Sockets(tmp.resolve("p.sock"), tmp.resolve("a.sock"), tmp.resolve("m.sock"));
    }

    private HubgateProcess start(String name, List<String> args) {
        HubgateProcess p = HubgateProcess.start(tmp, name, args);
        processes.add(p);
        return p;
    }

    private HubgateProcess startOnSockets(String name, Sockets s) {
        List<String> args = new ArrayList<>(s.args());
        args.addAll(List.of("--default-target", backend.url()));
        return start(name, args);
    }

    private static void assertServes(Sockets s) {
        String proxied = unixExchange(s.proxy(), "GET /over/unix HTTP/1.1\r\nHost: hub.example\r\nConnection: close\r\n\r\n");
        assertThat(proxied).startsWith("HTTP/1.1 200 ");
        JsonNode echo = Clients.json(bodyOf(proxied));
        assertThat(echo.get("name").asString()).isEqualTo("default");
        assertThat(echo.get("url").asString()).isEqualTo("/over/unix");
        // README difference 9: a UNIX-socket client has no address, so no X-Forwarded-For (CHP sent "undefined").
        assertThat(echo.get("headers").has("x-forwarded-for")).isFalse();

        String routes = unixExchange(s.api(), "GET /api/routes HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(routes).startsWith("HTTP/1.1 200 ");
        assertThat(Clients.json(bodyOf(routes)).get("/").get("target").asString()).isEqualTo(backend.url());

        String metrics = unixExchange(s.metrics(), "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        // The one proxied request above is counted.
        assertThat(metrics).startsWith("HTTP/1.1 200 ").contains("\nrequests_web 1\n");
    }

    @Test
    void proxyApiAndMetricsOverUnixSocketsAndFilesRemovedAtExit() {
        Sockets s = sockets();
        HubgateProcess p = startOnSockets("unix", s);
        p.awaitStdout("Route added /");
        assertThat(p.stdout()).contains("info: Proxying http://" + s.proxy() + " to " + backend.url() + "\n",
                "info: Proxy API at http://" + s.api() + "/api/routes\n",
                "info: Serve metrics at http://" + s.metrics() + "/metrics\n");
        assertServes(s);

        p.signal("TERM");
        assertThat(p.awaitExit(EXIT)).isEqualTo(2);
        assertThat(s.proxy()).doesNotExist();
        assertThat(s.api()).doesNotExist();
        assertThat(s.metrics()).doesNotExist();
    }

    @Test
    void staleSocketFilesOfAKilledProcessAreReplaced() {
        Sockets s = sockets();
        HubgateProcess killed = startOnSockets("killed", s);
        killed.awaitStdout("Route added /");
        killed.signal("KILL");
        assertThat(killed.awaitExit(EXIT)).isEqualTo(137);
        // SIGKILL leaves the files behind, with nobody listening.
        assertThat(s.proxy()).exists();
        assertThat(s.api()).exists();
        assertThat(s.metrics()).exists();

        HubgateProcess next = startOnSockets("restarted", s);
        next.awaitStdout("Route added /");
        assertServes(s);
    }

    @Test
    void aSocketWithALiveListenerIsNotTakenOver() throws Exception {
        Path path = tmp.resolve("live.sock");
        try (ServerSocketChannel someoneElse = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            someoneElse.bind(UnixDomainSocketAddress.of(path));
            HubgateProcess p = start("live-socket", List.of("--socket", path.toString(),
                    "--api-ip", "127.0.0.1", "--api-port", "0"));
            assertThat(p.awaitExit(EXIT)).isEqualTo(1);
            assertThat(p.stdout()).contains("error: Cannot listen for the proxy on " + path
                    + ": another process is listening on it");
            // The other process' socket is untouched.
            assertThat(path).exists();
            try (var probe = java.nio.channels.SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                assertThat(probe.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aFileThatIsNotASocketIsNotDeleted() throws Exception {
        Path notASocket = tmp.resolve("important.txt");
        Files.writeString(notASocket, "keep me");
        HubgateProcess p = start("not-a-socket", List.of("--api-socket", notASocket.toString(),
                "--ip", "127.0.0.1", "--port", "0"));
        assertThat(p.awaitExit(EXIT)).isEqualTo(1);
        assertThat(p.stdout()).contains("error: Cannot listen for the REST API on " + notASocket);
        assertThat(notASocket).hasContent("keep me");
    }
}
