package io.hubgate.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real Hubgate process started through {@code bin/hubgate} on free loopback ports (learned from its
 * startup lines), with its output kept for assertions, and helpers to talk to its API and proxy.
 */
final class HubgateProcess implements AutoCloseable {

    static final String TOKEN = "journal-it-token";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PROXY_LINE = Pattern.compile("Proxying http://127\\.0\\.0\\.1:(\\d+) ");
    private static final Pattern API_LINE = Pattern.compile("Proxy API at http://127\\.0\\.0\\.1:(\\d+)/api/routes");
    private static final Pattern METRICS_LINE = Pattern.compile("Serve metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics");

    final Process process;
    private static final String PARANOID = "-Dio.netty.leakDetection.level=paranoid";

    final List<String> output = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    int proxyPort;
    int apiPort;

    private HubgateProcess(Process process) {
        this.process = process;
    }

    /** Starts Hubgate with {@code args} (ports and addresses are added) and waits until it listens. */
    static HubgateProcess start(List<String> args, Map<String, String> env) {
        return start(args, env, null);
    }

    /** Starts Hubgate in {@code workDir} (null: the test's) and waits until it listens. */
    static HubgateProcess start(List<String> args, Map<String, String> env, Path workDir) {
        HubgateProcess p = launch(args, env, workDir);
        p.awaitListening();
        return p;
    }

    static HubgateProcess start(List<String> args) {
        return start(args, Map.of());
    }

    /** Starts Hubgate without waiting for it to listen (it may be expected to fail). */
    static HubgateProcess launch(List<String> args, Map<String, String> env, Path workDir) {
        Path home = Path.of(System.getProperty("hubgate.home"));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/hubgate").toString(), "--ip", "127.0.0.1",
                "--port", "0", "--api-ip", "127.0.0.1", "--api-port", "0"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.environment().put("CONFIGPROXY_AUTH_TOKEN", TOKEN);
        pb.environment().putAll(env);
        // Netty's leak detector at paranoid level in the child too (the launcher turns it off by default);
        // close() fails the test on any report
        pb.environment().merge("HUBGATE_JAVA_OPTS", PARANOID, (given, paranoid) -> paranoid + " " + given);
        HubgateProcess p;
        try {
            p = new HubgateProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[hubgate " + p.process.pid() + "] " + line);
                    p.output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            p.outputDone.complete(null);
        }, "hubgate-output-" + p.process.pid());
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private void awaitListening() {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!process.isAlive() && outputDone.isDone()) {
                throw new IllegalStateException("hubgate exited with " + process.exitValue() + " before listening: "
                        + output);
            }
            return find(PROXY_LINE) != null && find(API_LINE) != null;
        });
        proxyPort = Integer.parseInt(find(PROXY_LINE));
        apiPort = Integer.parseInt(find(API_LINE));
    }

    private String find(Pattern pattern) {
        for (String line : output) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    long pid() {
        return process.pid();
    }

    /** The metrics listener's port (the process must have been started with --metrics-port 0). */
    int metricsPort() {
        // announced next to the proxy and API lines, which start() waited for; allow for the line order
        Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> find(METRICS_LINE) != null);
        return Integer.parseInt(find(METRICS_LINE));
    }

    /** The value of an unlabelled metric on the metrics listener, e.g. "1" for a gauge. */
    String metric(String name) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError(name + " not in /metrics:\n" + r.body());
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("hubgate did not exit");
            }
            outputDone.get(10, TimeUnit.SECONDS);
            return process.exitValue();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no final flush — a crash. */
    void kill() {
        process.toHandle().destroyForcibly(); // Process.destroyForcibly() would also close our end of its output
        awaitExit();
    }

    /** SIGTERM: a clean shutdown; returns the exit code (2, as CHP). */
    int terminate() {
        process.toHandle().destroy(); // SIGTERM, keeping its output readable to the end
        return awaitExit();
    }

    boolean logged(String text) {
        return output.stream().anyMatch(l -> l.contains(text));
    }

    void awaitLogged(String text) {
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> logged(text));
    }

    // ------------------------------------------------------------------------------------- REST API

    HttpResponse<byte[]> api(String method, String encodedPath, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/routes"
                + encodedPath)).header("Authorization", "token " + TOKEN).timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /api/routes}: the table's bytes exactly as served. */
    byte[] routesBytes() {
        HttpResponse<byte[]> r = api("GET", "", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/routes: " + r.statusCode());
        }
        return r.body();
    }

    int post(String encodedPath, String body) {
        return api("POST", encodedPath, body).statusCode();
    }

    // ---------------------------------------------------------------------------------------- proxy

    /** A GET through the proxy with an explicit Host header (raw socket: the JDK client will not set Host). */
    String proxyGet(String host, String encodedPath) {
        try (Socket s = new Socket("127.0.0.1", proxyPort)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + encodedPath + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (output.stream().anyMatch(line -> line.contains("LEAK:"))) {
            throw new AssertionError("Netty reported a buffer leak in hubgate " + process.pid() + ": " + output);
        }
    }

    /** Percent-encodes a route path for a request target (UTF-8; '/' kept). */
    static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }
}
