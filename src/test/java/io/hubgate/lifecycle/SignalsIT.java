package io.hubgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import io.hubgate.testing.RawHttp;
import io.hubgate.testing.WebSocketBackend;
import io.hubgate.testing.WsFrames;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGINT on the real process (spec §2.7 plus Hubgate's drain): CHP's log line and exit code 2,
 * the pid file removed, every listener closed; in-flight requests finish while new connections are refused;
 * responses already handed to Hubgate reach slow clients whole; open websockets do not hold up the exit.
 */
class SignalsIT {

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
        processes.forEach(p -> {
            p.close();
            p.assertNoLeakReport();
        });
    }

    private HubgateProcess start(String name, HubgateProcess.Options options, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--ip", "127.0.0.1", "--port", "0",
                "--api-ip", "127.0.0.1", "--api-port", "0", "--metrics-ip", "127.0.0.1", "--metrics-port", "0"));
        args.addAll(List.of(extraArgs));
        HubgateProcess p = HubgateProcess.start(tmp, name, options, args);
        processes.add(p);
        return p;
    }

    private void stopsCleanly(String signal, String logLine) throws Exception {
        Path pidFile = tmp.resolve(signal + ".pid");
        HubgateProcess.Options options = new HubgateProcess.Options();
        // started the way a background job of a script is: SIGINT ignored (the launcher undoes that)
        options.ignoreSigint = true;
        HubgateProcess p = start(signal, options, "--default-target", backend.url(), "--pid-file", pidFile.toString());
        p.awaitStdout("Route added /");
        int proxy = p.proxyPort();
        int api = p.apiPort();
        int metrics = p.metricsPort();
        assertThat(Files.readString(pidFile)).isEqualTo(Long.toString(p.pid()));
        // An idle keep-alive connection must not hold the process up either.
        try (RawHttp idle = new RawHttp(proxy)) {
            idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);

            p.signal(signal);
            assertThat(p.awaitExit(EXIT)).isEqualTo(2);
            assertThat(idle.closedByPeer()).isTrue();
        }
        assertThat(p.stdout()).containsPattern("\\[ConfigProxy\\] warn: " + logLine + "\n$");
        assertThat(pidFile).doesNotExist();
        assertThat(Clients.refused(proxy)).isTrue();
        assertThat(Clients.refused(api)).isTrue();
        assertThat(Clients.refused(metrics)).isTrue();
    }

    @Test
    void sigtermLogsTerminatedAndExits2() throws Exception {
        stopsCleanly("TERM", "Terminated");
    }

    @Test
    void sigintLogsInterruptedAndExits2() throws Exception {
        stopsCleanly("INT", "Interrupted");
    }

    @Test
    void inFlightRequestFinishesWhileNewConnectionsAreRefused() throws Exception {
        HubgateProcess p = start("drain", new HubgateProcess.Options(), "--default-target", backend.url(),
                "--shutdown-timeout", "10000");
        p.awaitStdout("Route added /");
        int proxy = p.proxyPort();
        int api = p.apiPort();
        try (RawHttp slow = new RawHttp(proxy)) {
            slow.send("GET /drain/slow/1500 HTTP/1.1\r\nHost: x\r\n\r\n");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backend.seenUrls.contains("/drain/slow/1500"));

            p.signal("TERM");
            p.awaitStdout("warn: Terminated$", Duration.ofSeconds(10));
            // Draining: the listeners are closed at once, the process waits for the request in flight.
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> Clients.refused(proxy) && Clients.refused(api));
            assertThat(p.isAlive()).as("still draining when new connections are refused").isTrue();

            RawHttp.Response response = slow.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(Clients.json(response.bodyText()).get("url").asString()).isEqualTo("/drain/slow/1500");
            long answered = System.nanoTime();
            assertThat(p.awaitExit(EXIT)).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(p.stdout()).doesNotContain("still in flight");
    }

    @Test
    void theDrainIsBoundedByTheShutdownTimeout() throws Exception {
        HubgateProcess p = start("drain-bound", new HubgateProcess.Options(), "--default-target", backend.url(),
                "--shutdown-timeout", "1000");
        p.awaitStdout("Route added /");
        try (RawHttp stuck = new RawHttp(p.proxyPort())) {
            stuck.send("GET /bound/slow/60000 HTTP/1.1\r\nHost: x\r\n\r\n");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backend.seenUrls.contains("/bound/slow/60000"));

            long signalled = System.nanoTime();
            p.signal("TERM");
            assertThat(p.awaitExit(EXIT)).isEqualTo(2);
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1000)).isLessThan(Duration.ofSeconds(6));
            // The request that outlived the bound is cut off without a response.
            assertThat(stuck.closedByPeer()).isTrue();
        }
        assertThat(p.stdout()).contains("warn: Shutting down with 1 requests still in flight");
    }

    @Test
    void inFlightDownloadCompletesDuringTheDrain() throws Exception {
        HubgateProcess p = start("drain-download", new HubgateProcess.Options(), "--default-target", backend.url(),
                "--shutdown-timeout", "20000");
        p.awaitStdout("Route added /");
        int proxy = p.proxyPort();
        int size = 8 * 1024 * 1024;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024); // fixed, so that the kernel does not grow it to megabytes
            socket.connect(new InetSocketAddress("127.0.0.1", proxy), 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /big/download/" + size + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> backend.seenUrls.contains("/big/download/" + size));

            // Not reading yet: the download is stuck in flight, held back by backpressure.
            p.signal("TERM");
            p.awaitStdout("warn: Terminated$", Duration.ofSeconds(10));
            assertThat(readBody(socket.getInputStream())).isEqualTo(size);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(p.awaitExit(EXIT)).isEqualTo(2);
        assertThat(p.stdout()).doesNotContain("still in flight");
    }

    @Test
    void responseStillQueuedForAClientThatIsNotReadingIsDeliveredWhole() throws Exception {
        // A 12 MiB error page is written in one go: the exchange is over for Hubgate at once, while most of
        // the page waits in Hubgate's buffers (more than the kernel's socket buffers hold) for a client that
        // is not reading. The drain must deliver it, not throw it away with the connection.
        Path pages = Files.createDirectories(tmp.resolve("error-pages"));
        int size = 12 * 1024 * 1024;
        Files.write(pages.resolve("404.html"), new byte[size]);
        HubgateProcess p = start("drain-queued", new HubgateProcess.Options(), "--error-path", pages.toString(),
                "--shutdown-timeout", "20000");
        int proxy = p.proxyPort();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", proxy), 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("GET /queued HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            p.awaitStdout("error: 404 GET /queued\\b", Duration.ofSeconds(20));

            p.signal("TERM");
            p.awaitStdout("warn: Terminated$", Duration.ofSeconds(10));
            assertThat(readBody(socket.getInputStream(), 404)).isEqualTo(size);
            assertThat(socket.getInputStream().read()).as("closed after the response").isEqualTo(-1);
        }
        assertThat(p.awaitExit(EXIT)).isEqualTo(2);
    }

    private static long readBody(InputStream in) throws Exception {
        return readBody(in, 200);
    }

    /** Reads a Content-Length response and returns how many body bytes arrived before the connection ended. */
    private static long readBody(InputStream in, int status) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("response head so far: %s", head).isNotEqualTo(-1);
            head.append((char) c);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 " + status + " ");
        long expected = Long.parseLong(head.toString().replaceAll("(?s).*\r\n[Cc]ontent-[Ll]ength: *(\\d+)\r\n.*", "$1"));
        byte[] buf = new byte[64 * 1024];
        long got = 0;
        while (got < expected) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, expected - got));
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }

    @Test
    void openWebsocketDoesNotHoldUpTheExit() throws Exception {
        try (WebSocketBackend ws = new WebSocketBackend()) {
            HubgateProcess p = start("drain-websocket", new HubgateProcess.Options(), "--default-target", ws.url(),
                    "--shutdown-timeout", "60000");
            p.awaitStdout("Route added /");
            try (RawHttp client = new RawHttp(p.proxyPort())) {
                client.send(WsFrames.handshake("/ws", "127.0.0.1"));
                assertThat(client.read(true).status()).isEqualTo(101);
                assertThat(WsFrames.readText(client.in())).isEqualTo("connected");
                client.send(WsFrames.clientText("hello"));
                assertThat(WsFrames.readText(client.in())).isEqualTo("echo:/ws:hello");

                long signalled = System.nanoTime();
                p.signal("TERM");
                assertThat(p.awaitExit(EXIT)).isEqualTo(2);
                // Far below the 60 s shutdown timeout: a websocket is not a request in flight.
                assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(10));
                assertThat(client.closedByPeer()).isTrue();
            }
            assertThat(p.stdout()).doesNotContain("still in flight");
        }
    }
}
