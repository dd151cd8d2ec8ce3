package io.hubgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HubgateProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/hubgate-aot-train} with a real Java 25+ from {@code /usr/lib/jvm} (skipped where there is none): the
 * training workload gets the responses it expects in every phase, the JVM writes the cache, and a proxy that
 * {@code bin/hubgate} starts with it maps the cache and serves. A training whose JVM cannot start keeps no cache.
 */
class AotCacheIT {

    private static final Path HOME = HubgateProcess.HOME;
    private static final Path TRAIN = HOME.resolve("bin/hubgate-aot-train");

    @TempDir
    Path tmp;

    record Result(int code, String stdout, String stderr) {
    }

    @Test
    void trainingWritesACacheThatTheProxyStartsWith() throws Exception {
        Path java = InstalledJdks.newestAtLeast(25);
        Path cache = tmp.resolve("hubgate.aot");
        Result training = train(java, cache, Map.of(), "6");
        assertThat(training.code()).as("training: %s%n%s", training.stdout(), training.stderr()).isZero();
        for (String phase : List.of("keep-alive, 64 B", "keep-alive, 100 KiB and uploads",
                "new connection per request", "websockets", "route adds", "route listing",
                "requests over 2000 routes", "route deletes", "refused API requests", "unreachable target")) {
            assertThat(training.stdout()).contains("training: " + phase + ": ");
        }
        assertThat(training.stdout()).contains("hubgate-aot-train: wrote " + cache)
                .contains("training: route adds: 2000 responses (2xx 2000), 0 failed connections");
        assertThat(Files.size(cache)).as("cache size").isGreaterThan(1 << 20);

        Path aotLog = tmp.resolve("aot.log");
        HubgateProcess.Options options = HubgateProcess.Options.failingOnLeaks();
        options.env.put("HUBGATE_JAVA", java.toString());
        options.env.put("HUBGATE_AOT_CACHE", cache.toString());
        options.javaOpts += " -Xlog:aot=info:file=" + aotLog;
        try (HubgateProcess p = HubgateProcess.startOnLoopback(tmp, "with-cache", options,
                List.of("--default-target", "http://127.0.0.1:9")).awaitListening()) {
            assertThat(p.post("/user/a", "{\"target\": \"http://127.0.0.1:9\"}")).isEqualTo(201);
            assertThat(p.proxyGet("localhost", "/user/a/x")).startsWith("HTTP/1.1 503 ");
            assertThat(Files.readString(aotLog)).contains("Opened AOT cache " + cache + ".")
                    .contains("Using AOT-linked classes: true");
        }
    }

    @Test
    void aTrainingThatFailsKeepsNoCache() throws Exception {
        Path java = InstalledJdks.newestAtLeast(25);
        Path cache = tmp.resolve("hubgate.aot");
        Files.writeString(cache, "an older cache");
        Result training = train(java, cache, Map.of("HUBGATE_JAVA_OPTS", "-Xmx1m"), "6"); // the JVM refuses to start
        assertThat(training.code()).isEqualTo(1);
        assertThat(training.stderr()).contains("hubgate-aot-train: the training run failed; no cache was kept");
        assertThat(cache).doesNotExist();
    }

    private Result train(Path java, Path cache, Map<String, String> extraEnv, String seconds)
            throws IOException, InterruptedException {
        Path out = tmp.resolve("train-out.txt");
        Path err = tmp.resolve("train-err.txt");
        ProcessBuilder builder = new ProcessBuilder(TRAIN.toString(), seconds).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        for (String name : List.of("HUBGATE_JAR", "HUBGATE_JAVA_OPTS", "HUBGATE_HEAP", "HUBGATE_DIRECT_MEMORY",
                "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "HUBGATE_AOT_TRAIN")) {
            env.remove(name);
        }
        env.put("HUBGATE_JAVA", java.toString());
        env.put("HUBGATE_AOT_CACHE", cache.toString());
        env.putAll(extraEnv);
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("training did not finish in 3 minutes: " + Files.readString(out));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
