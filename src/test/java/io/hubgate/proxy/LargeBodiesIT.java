package io.hubgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB upload and a 1 GiB download pass through the real Hubgate process started by {@code bin/hubgate}
 * with the launcher's defaults (64 MiB heap, 64 MiB direct memory): bodies are streamed with backpressure,
 * never buffered. The process' peak RSS is checked afterwards.
 */
@Timeout(180)
class LargeBodiesIT {

    static final long GIB = 1024L * 1024 * 1024;
    static final long MAX_PEAK_RSS_KIB = 256 * 1024;

    static HttpBackend backend;
    static Process proxy;
    static int port;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = new HttpBackend("big");
        Path home = Path.of(System.getProperty("hubgate.home"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/hubgate").toString(), "--ip", "127.0.0.1",
                "--port", "0", "--api-ip", "127.0.0.1", "--api-port", "0", "--default-target", backend.url());
        pb.environment().put("CONFIGPROXY_AUTH_TOKEN", "t");
        pb.redirectErrorStream(true);
        proxy = pb.start();
        Pattern listening = Pattern.compile("Proxying http://127\\.0\\.0\\.1:(\\d+) ");
        CompletableFuture<Integer> portFuture = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println("[hubgate] " + line);
                    Matcher m = listening.matcher(line);
                    if (m.find()) {
                        portFuture.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            portFuture.completeExceptionally(new IllegalStateException("hubgate exited before listening"));
        }, "hubgate-output");
        reader.setDaemon(true);
        reader.start();
        port = portFuture.get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.destroy();
            if (!proxy.waitFor(15, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
        }
        backend.close();
    }

    /** An InputStream of {@code size} bytes produced on the fly (nothing held in memory). */
    static InputStream generated(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return 'u';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'u');
                left -= n;
                return n;
            }
        };
    }

    @Test
    void oneGibUploadAndDownloadStreamThroughBoundedMemory() throws Exception {
        HttpResponse<String> up = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> generated(GIB)), GIB))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"bodyLength\":" + GIB);

        HttpResponse<InputStream> down = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/download/" + GIB)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(down.statusCode()).isEqualTo(200);
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = down.body()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(GIB);

        long peakKib = peakRssKib(proxy.pid());
        System.out.println("hubgate peak RSS after 2 GiB streamed: " + peakKib / 1024 + " MiB");
        assertThat(peakKib).isLessThan(MAX_PEAK_RSS_KIB);
        assertThat(proxy.isAlive()).isTrue();
    }

    static long peakRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM for " + pid);
    }
}
