package io.hubgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HubgateProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Startup errors end the process with exit code 1 and a message that says what went wrong (Q4, Q22):
 * unlike CHP, a listener that cannot bind is not silently skipped.
 */
class StartupErrorsIT {

    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<HubgateProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanup() {
        processes.forEach(HubgateProcess::close);
    }

    private HubgateProcess start(String name, List<String> args) {
        HubgateProcess p = HubgateProcess.start(tmp, name, args);
        processes.add(p);
        return p;
    }

    private static ServerSocket occupy() throws Exception {
        ServerSocket taken = new ServerSocket();
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        return taken;
    }

    @Test
    void proxyPortInUse() throws Exception {
        Path pidFile = tmp.resolve("proxy.pid");
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            HubgateProcess p = start("proxy-port-in-use", List.of("--ip", "127.0.0.1", "--port", Integer.toString(port),
                    "--api-ip", "127.0.0.1", "--api-port", "0", "--pid-file", pidFile.toString()));
            assertThat(p.awaitExit(EXIT)).isEqualTo(1);
            assertThat(p.stdout()).contains("error: Cannot listen for the proxy on 127.0.0.1:" + port + ": ")
                    .contains("Address already in use");
        }
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void apiPortInUse() throws Exception {
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            HubgateProcess p = start("api-port-in-use", List.of("--ip", "127.0.0.1", "--port", "0",
                    "--api-ip", "127.0.0.1", "--api-port", Integer.toString(port)));
            assertThat(p.awaitExit(EXIT)).isEqualTo(1);
            assertThat(p.stdout()).contains("error: Cannot listen for the REST API on 127.0.0.1:" + port + ": ")
                    .contains("Address already in use")
                    // The proxy listener that did bind is not announced: the process was never ready.
                    .doesNotContain("Proxying");
        }
    }

    @Test
    void metricsPortInUse() throws Exception {
        try (ServerSocket taken = occupy()) {
            int port = taken.getLocalPort();
            HubgateProcess p = start("metrics-port-in-use", List.of("--ip", "127.0.0.1", "--port", "0",
                    "--api-ip", "127.0.0.1", "--api-port", "0",
                    "--metrics-ip", "127.0.0.1", "--metrics-port", Integer.toString(port)));
            assertThat(p.awaitExit(EXIT)).isEqualTo(1);
            assertThat(p.stdout()).contains("error: Cannot listen for metrics on 127.0.0.1:" + port + ": ");
        }
    }

    @Test
    void unknownLogLevel() {
        HubgateProcess p = start("log-level", List.of("--log-level", "bogus", "--port", "0", "--api-port", "0"));
        assertThat(p.awaitExit(EXIT)).isEqualTo(1);
        assertThat(p.stderr()).isEqualTo("error: option '--log-level <loglevel>' argument 'bogus' is invalid."
                + " Allowed choices are error, warn, info, http, verbose, debug, silly.\n");
        assertThat(p.stdout()).isEmpty();
    }

    @Test
    void unknownOption() {
        HubgateProcess p = start("bad-flag", List.of("--port", "0", "--bogus"));
        assertThat(p.awaitExit(EXIT)).isEqualTo(1);
        assertThat(p.stderr()).isEqualTo("error: unknown option '--bogus'\n");
        assertThat(p.stdout()).isEmpty();
    }

    @Test
    void unwritablePidFile() {
        Path pidFile = tmp.resolve("no-such-dir").resolve("hubgate.pid");
        HubgateProcess p = start("pid-file-unwritable", List.of("--ip", "127.0.0.1", "--port", "0",
                "--api-ip", "127.0.0.1", "--api-port", "0", "--pid-file", pidFile.toString()));
        assertThat(p.awaitExit(EXIT)).isEqualTo(1);
        assertThat(p.stdout()).contains("error: Cannot write pid file " + pidFile);
        assertThat(Files.exists(pidFile)).isFalse();
    }
}
