package io.hubgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Hubgate process started through {@code bin/hubgate} on the packaged jar, as JupyterHub starts it:
 * stdout and stderr go to separate files in the test's directory (CHP's tooling reads stdout for readiness,
 * stderr for CLI errors), ports are learned from the startup lines, every wait has a deadline, and
 * {@link #close} kills the process if it is still alive and prints its logs into the test's output.
 * Helpers talk to its REST API, its metrics listener and its proxy.
 */
public final class HubgateProcess implements AutoCloseable {

    public static final Path HOME = Path.of(System.getProperty("hubgate.home")).toAbsolutePath();
    public static final Path LAUNCHER = HOME.resolve("bin/hubgate");

    /** Time for a JVM to start and bind on a busy two-core machine. */
    public static final Duration STARTUP = Duration.ofSeconds(60);

    /** Netty's leak detector tracking every buffer; the launcher turns it off by default. */
    public static final String PARANOID = "-Dio.netty.leakDetection.level=paranoid";

    /** Proxy and API on loopback, on ports the system picks: {@link #startOnLoopback} puts these first. */
    public static final List<String> LOOPBACK_PORTS = List.of("--ip", "127.0.0.1", "--port", "0",
            "--api-ip", "127.0.0.1", "--api-port", "0");

    /** The API token of {@link #startOnLoopback} when the options name none. */
    public static final String TOKEN = "hubgate-process-token";

    /** Time for the process to exit by itself once told to, or once it failed to start. */
    private static final Duration EXIT = Duration.ofSeconds(60);

    /** Time for a line the test caused to reach the log. */
    private static final Duration LOGGED = Duration.ofSeconds(30);

    private static final List<String> SCRUBBED_ENV = List.of("HUBGATE_JAVA", "HUBGATE_JAR", "HUBGATE_JAVA_OPTS",
            "HUBGATE_HEAP", "HUBGATE_DIRECT_MEMORY", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
            "CONFIGPROXY_AUTH_TOKEN", "CONFIGPROXY_AUTH_TOKEN_FILE", "CONFIGPROXY_SSL_KEY_PASSPHRASE",
            "CONFIGPROXY_API_SSL_KEY_PASSPHRASE", "HUBGATE_AOT_CACHE", "HUBGATE_AOT_TRAIN");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    /** The API token the process was started with, or null. */
    private final String token;
    private final boolean failOnLeak;
    private boolean logsPrinted;
    // Learned once from the startup lines: api() asks for the port on every call, from many threads.
    private volatile int proxyPort;
    private volatile int apiPort;
    private volatile int metricsPort;

    private HubgateProcess(String name, Process process, Path stdout, Path stderr, String token, boolean failOnLeak) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.token = token;
        this.failOnLeak = failOnLeak;
    }

    /** Options for starting a process. */
    public static final class Options {
        /**
         * Environment of the child, on top of the test's own minus the launcher's and Hubgate's variables;
         * a HUBGATE_JAVA_OPTS here replaces {@link #javaOpts}.
         */
        public final Map<String, String> env = new HashMap<>();
        /** Extra JVM options; by default Netty's leak detector runs at paranoid level in the child too. */
        public String javaOpts = PARANOID;
        /**
         * Start the launcher with SIGINT ignored, as a background job of a non-interactive shell is: the launcher
         * must hand the JVM the default disposition back (a JVM cannot catch a signal ignored at its start).
         */
        public boolean ignoreSigint;
        /** Working directory of the process; null: the directory its logs go to. */
        public Path workDir;
        /** {@link HubgateProcess#close} fails the test on a report of Netty's leak detector ({@code LEAK:}). */
        public boolean failOnLeak;

        /** The defaults, and {@link #failOnLeak}. */
        public static Options failingOnLeaks() {
            Options options = new Options();
            options.failOnLeak = true;
            return options;
        }
    }

    public static HubgateProcess start(Path dir, String name, List<String> args) {
        return start(dir, name, new Options(), args);
    }

    /**
     * Starts {@code bin/hubgate args} without waiting for anything; its output goes to
     * {@code dir/name.stdout.log} and {@code dir/name.stderr.log}.
     */
    public static HubgateProcess start(Path dir, String name, Options options, List<String> args) {
        List<String> command = new ArrayList<>();
        if (options.ignoreSigint) {
            command.addAll(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        }
        command.add(LAUNCHER.toString());
        command.addAll(args);
        Path out = dir.resolve(name + ".stdout.log");
        Path err = dir.resolve(name + ".stderr.log");
        if (Files.exists(out)) {
            // a second process of the same name would overwrite the first one's logs
            throw new IllegalArgumentException("a process named " + name + " was already started in " + dir);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory((options.workDir != null ? options.workDir : dir).toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        SCRUBBED_ENV.forEach(env::remove); // settings of whoever runs the tests must not change what they see
        env.put("HUBGATE_AOT_CACHE", "off"); // nor a cache that bench/run.sh left next to target/hubgate.jar
        if (options.javaOpts != null) {
            env.put("HUBGATE_JAVA_OPTS", options.javaOpts);
        }
        env.putAll(options.env);
        try {
            return new HubgateProcess(name, builder.start(), out, err, env.get("CONFIGPROXY_AUTH_TOKEN"),
                    options.failOnLeak);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * {@link #start} with {@link #LOOPBACK_PORTS} before {@code args} and, unless {@code options.env} names a
     * token, {@link #TOKEN} as the API token (put into {@code options.env}); does not wait. Follow with
     * {@link #awaitListening} for a process that is expected to come up.
     */
    public static HubgateProcess startOnLoopback(Path dir, String name, Options options, List<String> args) {
        List<String> all = new ArrayList<>(LOOPBACK_PORTS);
        all.addAll(args);
        options.env.putIfAbsent("CONFIGPROXY_AUTH_TOKEN", TOKEN);
        return start(dir, name, options, all);
    }

    /**
     * Waits until the proxy and the API listen (their startup lines); fails at once if the process exits first.
     * On failure the process is closed, so that a caller's try-with-resources need not have it yet.
     */
    public HubgateProcess awaitListening() {
        try {
            proxyPort();
            apiPort();
        } catch (AssertionError e) {
            try {
                close();
            } catch (AssertionError leak) {
                e.addSuppressed(leak);
            }
            throw e;
        }
        return this;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    // ------------------------------------------------------------------------------------------- output

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** The lines of stdout, then those of stderr. */
    public List<String> outputLines() {
        List<String> lines = new ArrayList<>(stdout().lines().toList());
        lines.addAll(stderr().lines().toList());
        return lines;
    }

    /** Whether a line of stdout or stderr contains {@code text}. */
    public boolean logged(String text) {
        return outputLines().stream().anyMatch(line -> line.contains(text));
    }

    /** Waits for a line containing {@code text}; the process may have exited (its output stays readable). */
    public void awaitLogged(String text) {
        try {
            Awaitility.await().atMost(LOGGED).pollInterval(Duration.ofMillis(20)).pollInSameThread()
                    .until(() -> logged(text));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no line with '" + text + "' within " + LOGGED + "\n" + logs(), e);
        }
    }

    public String logs() {
        return "----- " + name + " (pid " + pid() + ", " + (isAlive() ? "running" : "exit " + process.exitValue())
                + ") stdout -----\n" + stdout() + "----- stderr -----\n" + stderr() + "----- end of " + name + " -----";
    }

    /** Waits for a stdout line matching {@code regex}; fails at once if the process exits first. */
    public Matcher awaitStdout(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        Matcher[] found = new Matcher[1];
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).pollInSameThread()
                    .until(() -> {
                        Matcher m = pattern.matcher(stdout());
                        if (m.find()) {
                            found[0] = m;
                            return true;
                        }
                        if (!process.isAlive()) {
                            // One last look: the line may have been written just before the exit.
                            m = pattern.matcher(stdout());
                            if (m.find()) {
                                found[0] = m;
                                return true;
                            }
                            throw new AssertionError("process exited before printing /" + regex + "/\n" + logs());
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no stdout line /" + regex + "/ within " + timeout + "\n" + logs(), e);
        }
        return found[0];
    }

    public Matcher awaitStdout(String regex) {
        return awaitStdout(regex, STARTUP);
    }

    // -------------------------------------------------------------------------------------------- ports

    /** The bound port of the public listener, from {@code Proxying http[s]://host:port to ...}. */
    public int proxyPort() {
        if (proxyPort == 0) {
            proxyPort = announcedPort("Proxying https?://\\S*:(\\d+) to ");
        }
        return proxyPort;
    }

    public int apiPort() {
        if (apiPort == 0) {
            apiPort = announcedPort("Proxy API at https?://\\S*:(\\d+)/api/routes");
        }
        return apiPort;
    }

    /** The metrics listener's port (started with {@code --metrics-port}). */
    public int metricsPort() {
        if (metricsPort == 0) {
            metricsPort = announcedPort("Serve metrics at http://\\S*:(\\d+)/metrics");
        }
        return metricsPort;
    }

    private int announcedPort(String regex) {
        return Integer.parseInt(awaitStdout(regex).group(1));
    }

    // ------------------------------------------------------------------------------- signals and exit

    /** Sends a signal ({@code TERM}, {@code INT}, {@code KILL}) to this one process, as JupyterHub does. */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -s %s finished", signal).isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILL: no shutdown hook, no final flush — a crash. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: a clean shutdown; returns the exit code (2, as CHP). */
    public int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** Waits for the process to exit by itself; returns the exit code. */
    public int awaitExit() {
        return awaitExit(EXIT);
    }

    /** Waits for the process to exit; returns the exit code. Kills it if it does not. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String logs = logs();
                process.destroyForcibly(); // a caller without try-with-resources would leave it running
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + logs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Resident set size in KiB, from {@code /proc/<pid>/status}. */
    public long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no VmRSS for pid " + pid());
    }

    // ---------------------------------------------------------------------------------------- metrics

    /** The value of an unlabelled metric on the metrics listener, e.g. "1" for a gauge. */
    public String metric(String metricName) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(metricName + " ")) {
                return line.substring(metricName.length() + 1).trim();
            }
        }
        throw new AssertionError(metricName + " not in /metrics:\n" + r.body());
    }

    // --------------------------------------------------------------------------------------- REST API

    /** A request to {@code /api/routes + encodedPath} over plain HTTP on loopback, with the process's token. */
    public HttpResponse<byte[]> api(String method, String encodedPath, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort() + "/api/routes"
                + encodedPath)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "token " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code GET /api/routes}: the table's bytes exactly as served. */
    public byte[] routesBytes() {
        HttpResponse<byte[]> r = api("GET", "", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/routes: " + r.statusCode());
        }
        return r.body();
    }

    public int post(String encodedPath, String body) {
        return api("POST", encodedPath, body).statusCode();
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ proxy

    /** A GET through the proxy with an explicit Host header (raw socket: the JDK client will not set Host). */
    public String proxyGet(String host, String encodedPath) {
        try (Socket s = new Socket("127.0.0.1", proxyPort())) {
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

    // ---------------------------------------------------------------------------------------- closing

    /**
     * Kills the process if it is still running, prints its logs into the test's output (once), and with
     * {@link Options#failOnLeak} fails on a leak report.
     */
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
        if (!logsPrinted) {
            logsPrinted = true;
            System.out.println(logs());
        }
        if (failOnLeak) {
            assertNoLeakReport();
        }
    }

    /** Netty's leak detector reports through the logger (stdout); a report fails the test. */
    public void assertNoLeakReport() {
        assertThat(stdout()).as("leak reports of %s", name).doesNotContain("LEAK:");
        assertThat(stderr()).as("leak reports of %s on stderr", name).doesNotContain("LEAK:");
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** Distinct free loopback ports (see {@link FreePorts}). */
    public static int[] freePorts(int count) {
        return FreePorts.pick(count);
    }

    /** Percent-encodes a route path for a request target (UTF-8; '/' kept). */
    public static String encodePath(String path) {
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
