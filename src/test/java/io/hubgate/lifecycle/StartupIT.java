package io.hubgate.lifecycle;

import static io.hubgate.lifecycle.Clients.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Startup as tools see it (spec §2.5 with Hubgate's {@code host:port} fix): the log lines, their order and
 * format, the pid file, and what "ready" means — when {@code Route added /} (CHP's readiness signal) is on
 * stdout, every listener is bound and the pid file is written. Also reports the resident memory of a
 * process started with the launcher's defaults.
 */
class StartupIT {

    private static final Pattern LOG_LINE =
            Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[ConfigProxy\\] (\\w+): (.*)$");

    @TempDir
    Path tmp;

    private final List<HubgateProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> backends = new ArrayList<>();

    @AfterEach
    void cleanup() throws Exception {
        processes.forEach(HubgateProcess::close);
        for (AutoCloseable b : backends) {
            b.close();
        }
    }

    private HubgateProcess start(String name, HubgateProcess.Options options, List<String> args) {
        HubgateProcess p = HubgateProcess.start(tmp, name, options, args);
        processes.add(p);
        return p;
    }

    private HttpBackend backend() {
        HttpBackend b = new HttpBackend("default");
        backends.add(b);
        return b;
    }

    /** "level: message" for every stdout line, after checking the CHP line format. */
    private static List<String> messages(String stdout) {
        List<String> messages = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            Matcher m = LOG_LINE.matcher(line);
            assertThat(m.matches()).as("CHP log line format (no colour off a terminal): %s", line).isTrue();
            messages.add(m.group(1) + ": " + m.group(2));
        }
        return messages;
    }

    @Test
    void startupLinesInCHPsOrderAndReadinessMeansBound() throws Exception {
        ProcessPki pki = new ProcessPki(Files.createDirectories(tmp.resolve("pki")));
        HttpBackend backend = backend();
        Path pidFile = tmp.resolve("hubgate.pid");
        HubgateProcess p = start("all-listeners", new HubgateProcess.Options(), List.of(
                "--ip", "127.0.0.1", "--port", "0", "--api-ip", "127.0.0.1", "--api-port", "0",
                "--metrics-ip", "127.0.0.1", "--metrics-port", "0", "--redirect-port", "0",
                "--ssl-key", pki.server.key().toString(), "--ssl-cert", pki.server.cert().toString(),
                "--default-target", backend.url(), "--pid-file", pidFile.toString()));

        p.awaitStdout("Route added /");
        // CHP's test suite and JupyterHub-era tooling treat this line as "ready": by now every port is bound
        // and the pid file holds the JVM's pid (the launcher exec'd, so it is the pid we started), no newline.
        assertThat(pidFile).exists();
        assertThat(Files.readString(pidFile, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(p.pid()));
        int proxy = p.proxyPort();
        int api = p.apiPort();
        int metrics = p.metricsPort();
        assertThat(Clients.refused(proxy)).isFalse();
        assertThat(Clients.refused(api)).isFalse();
        assertThat(Clients.refused(metrics)).isFalse();

        Matcher redirect = p.awaitStdout("Added HTTP to HTTPS redirection from (\\d+) to (\\d+)$");
        int redirectPort = Integer.parseInt(redirect.group(1));
        // With --port 0 the redirect goes to the port actually bound.
        assertThat(Integer.parseInt(redirect.group(2))).isEqualTo(proxy);
        var moved = get(Clients.http(), "http://127.0.0.1:" + redirectPort + "/hub/");
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + proxy + "/hub/");

        assertThat(messages(p.stdout())).containsExactly(
                "warn: REST API is not authenticated.",
                "info: Adding route / -> " + backend.url(),
                "info: Proxying https://127.0.0.1:" + proxy + " to " + backend.url(),
                "info: Proxy API at http://127.0.0.1:" + api + "/api/routes",
                "info: Serve metrics at http://127.0.0.1:" + metrics + "/metrics",
                "info: Writing pid " + p.pid() + " to " + pidFile,
                "info: Route added / -> " + backend.url(),
                "info: Added HTTP to HTTPS redirection from " + redirectPort + " to " + proxy);
        assertThat(p.stderr()).isEmpty();
    }

    @Test
    void withATokenAndNoDefaultTarget() {
        HubgateProcess.Options options = new HubgateProcess.Options();
        options.env.put("CONFIGPROXY_AUTH_TOKEN", "process-test-token");
        HubgateProcess p = start("token", options, List.of(
                "--ip", "127.0.0.1", "--port", "0", "--api-ip", "127.0.0.1", "--api-port", "0"));
        int api = p.apiPort();
        int proxy = p.proxyPort();

        assertThat(messages(p.stdout())).containsExactly(
                "info: Proxying http://127.0.0.1:" + proxy + " to (no default)",
                "info: Proxy API at http://127.0.0.1:" + api + "/api/routes");
        // The token is in force (and not logged).
        assertThat(get(Clients.http(), "http://127.0.0.1:" + api + "/api/routes").statusCode()).isEqualTo(403);
        assertThat(p.stdout()).doesNotContain("process-test-token");
        // No route: CHP's 404.
        assertThat(get(Clients.http(), "http://127.0.0.1:" + proxy + "/").statusCode()).isEqualTo(404);
    }

    @Test
    void residentMemoryWithLauncherDefaults() {
        HttpBackend backend = backend();
        HubgateProcess.Options defaults = new HubgateProcess.Options();
        defaults.javaOpts = null; // exactly what bin/hubgate picks
        HubgateProcess p = start("memory", defaults, List.of("--ip", "127.0.0.1", "--port", "0",
                "--api-ip", "127.0.0.1", "--api-port", "0", "--default-target", backend.url()));
        p.awaitStdout("Route added /");
        long afterStartup = p.rssKiB();
        int proxy = p.proxyPort();
        var client = Clients.http();
        for (int i = 0; i < 200; i++) {
            assertThat(get(client, "http://127.0.0.1:" + proxy + "/r" + i).statusCode()).isEqualTo(200);
        }
        long afterTraffic = p.rssKiB();
        System.out.printf("hubgate RSS with launcher defaults: %d KiB after startup, %d KiB after 200 requests%n",
                afterStartup, afterTraffic);
        // Not a benchmark: only catches a gross regression (heap and direct memory are capped at 64 MiB each).
        assertThat(afterTraffic).isBetween(1L, 400L * 1024);
    }
}
