package io.hubgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Hubgate process started through {@code bin/hubgate} on the packaged jar, as JupyterHub starts it:
 * stdout and stderr go to separate files (CHP's tooling reads stdout for readiness, stderr for CLI errors),
 * every wait has a deadline, and {@link #close} kills the process if it is still alive and prints its
 * logs into the test's output.
 */
final class HubgateProcess implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("hubgate.home")).toAbsolutePath();
    static final Path LAUNCHER = HOME.resolve("bin/hubgate");

    /** Time for a JVM to start and bind on a busy two-core machine. */
    static final Duration STARTUP = Duration.ofSeconds(60);

    private static final List<String> SCRUBBED_ENV = List.of("HUBGATE_JAVA", "HUBGATE_JAR", "HUBGATE_JAVA_OPTS",
            "HUBGATE_HEAP", "HUBGATE_DIRECT_MEMORY", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS",
            "CONFIGPROXY_AUTH_TOKEN", "CONFIGPROXY_AUTH_TOKEN_FILE", "CONFIGPROXY_SSL_KEY_PASSPHRASE",
            "CONFIGPROXY_API_SSL_KEY_PASSPHRASE");

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private boolean logsPrinted;

    private HubgateProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Options for starting a process. */
    static final class Options {
        final Map<String, String> env = new java.util.HashMap<>();
        /** Extra JVM options; by default Netty's leak detector runs at paranoid level in the child too. */
        String javaOpts = "-Dio.netty.leakDetection.level=paranoid";
        /**
         * Start the launcher with SIGINT ignored, as a background job of a non-interactive shell is: the launcher
         * must hand the JVM the default disposition back (a JVM cannot catch a signal ignored at its start).
         */
        boolean ignoreSigint;
    }

    static HubgateProcess start(Path dir, String name, List<String> args) {
        return start(dir, name, new Options(), args);
    }

    static HubgateProcess start(Path dir, String name, Options options, List<String> args) {
        List<String> command = new ArrayList<>();
        if (options.ignoreSigint) {
            command.addAll(List.of("/bin/sh", "-c", "trap '' INT; exec \"$0\" \"$@\""));
        }
        command.add(LAUNCHER.toString());
        command.addAll(args);
        Path out = dir.resolve(name + ".stdout.log");
        Path err = dir.resolve(name + ".stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        SCRUBBED_ENV.forEach(env::remove);
        if (options.javaOpts != null) {
            env.put("HUBGATE_JAVA_OPTS", options.javaOpts);
        }
        env.putAll(options.env);
        try {
            return new HubgateProcess(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }


    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    String logs() {
        return "----- " + name + " (pid " + pid() + ", " + (isAlive() ? "running" : "exit " + process.exitValue())
                + ") stdout -----\n" + stdout() + "----- stderr -----\n" + stderr() + "----- end of " + name + " -----";
    }

    /** Waits for a stdout line matching {@code regex}; fails at once if the process exits first. */
    Matcher awaitStdout(String regex, Duration timeout) {
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

    Matcher awaitStdout(String regex) {
        return awaitStdout(regex, STARTUP);
    }

    /** The bound port of the public listener, from {@code Proxying http[s]://host:port to ...}. */
    int proxyPort() {
        return Integer.parseInt(awaitStdout("Proxying https?://\\S*:(\\d+) to ").group(1));
    }

    int apiPort() {
        return Integer.parseInt(awaitStdout("Proxy API at https?://\\S*:(\\d+)/api/routes").group(1));
    }

    int metricsPort() {
        return Integer.parseInt(awaitStdout("Serve metrics at http://\\S*:(\\d+)/metrics").group(1));
    }

    /** Sends a signal ({@code TERM}, {@code INT}, {@code KILL}) to this one process, as JupyterHub does. */
    void signal(String signal) {
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

    /** Waits for the process to exit; returns the exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + logs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    /** Resident set size in KiB, from {@code /proc/<pid>/status}. */
    long rssKiB() {
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

    /** Kills the process if it is still running, then prints its logs into the test's output. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!logsPrinted) {
            logsPrinted = true;
            System.out.println(logs());
        }
    }

    /** Netty's leak detector reports on stdout through the logger; a report fails the test. */
    void assertNoLeakReport() {
        assertThat(stdout()).as("leak reports of %s", name).doesNotContain("LEAK:");
    }

    /** Distinct free loopback ports (see {@link io.hubgate.testing.FreePorts}). */
    static int[] freePorts(int count) {
        return io.hubgate.testing.FreePorts.pick(count);
    }
}
