package io.hubgate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HubgateProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's serial collector with {@link HeapGrowthGuard}: route churn through the REST API (routes
 * that live through young collections, then die in the old generation) makes the guard request a full
 * collection, after which the heap is smaller than before it. Without the guard (its property set to 0),
 * the same churn requests none, so the assertion on the guarded process can fail.
 */
@Timeout(300)
class HeapGrowthIT {

    /** "Pause Full (System.gc()) 32M->8M(20M)": before, after, committed after. */
    static final Pattern REQUESTED_FULL_GC =
            Pattern.compile("Pause Full \\(System\\.gc\\(\\)\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");
    static final Pattern COMMITTED = Pattern.compile("Pause \\w+ \\([^)]*\\) \\d+M->\\d+M\\((\\d+)M\\)");
    static final int CLIENTS = 8;
    static final int ROUTES_PER_CYCLE = 400;
    static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void guardCollectsTheHeapOnceItHasGrownPastTheFloorAndTheHeapShrinks() throws Exception {
        Path gcLog = tmp.resolve("guarded-gc.log");
        try (HubgateProcess p = start("guarded", gcLog, "")) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            int cycles = 0;
            while (!REQUESTED_FULL_GC.matcher(read(gcLog)).find()) {
                assertThat(System.nanoTime()).as("a requested full collection within %s; GC log:%n%s", DEADLINE,
                        tail(read(gcLog))).isLessThan(deadline);
                churn(p, cycles++);
            }
            Matcher full = REQUESTED_FULL_GC.matcher(read(gcLog));
            assertThat(full.find()).isTrue();
            long before = Long.parseLong(full.group(1));
            long committedAfter = Long.parseLong(full.group(3));
            // the launcher's floor is 32 MiB: the heap had grown past it, the collection found most of it garbage
            assertThat(before).as("heap used before the collection (MiB)").isGreaterThanOrEqualTo(24);
            assertThat(committedAfter).as("heap committed after the collection (MiB)").isLessThan(before);
            assertThat(p.post("/after-gc", "{\"target\": \"http://127.0.0.1:9\"}")).isEqualTo(201);
        }
    }

    @Test
    void withoutTheGuardTheSameChurnRequestsNoCollection() throws Exception {
        Path gcLog = tmp.resolve("unguarded-gc.log");
        try (HubgateProcess p = start("unguarded", gcLog, " -D" + HeapGrowthGuard.FLOOR_PROPERTY + "=0")) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            int cycles = 0;
            // churn until the heap has grown as far as the guarded process's trigger, then a few guard periods more
            while (maxCommitted(read(gcLog)) < 34) {
                assertThat(System.nanoTime()).as("heap growth past 34 MiB within %s; GC log:%n%s", DEADLINE,
                        tail(read(gcLog))).isLessThan(deadline);
                churn(p, cycles++);
            }
            for (int i = 0; i < 3; i++) {
                churn(p, cycles++);
            }
            assertThat(REQUESTED_FULL_GC.matcher(read(gcLog)).find()).as("a requested full collection").isFalse();
        }
    }

    private HubgateProcess start(String name, Path gcLog, String extraOpts) {
        HubgateProcess.Options options = HubgateProcess.Options.failingOnLeaks();
        options.javaOpts += " -Xlog:gc:file=" + gcLog + extraOpts;
        return HubgateProcess.startOnLoopback(tmp, name, options, List.of("--default-target", "http://127.0.0.1:9"))
                .awaitListening();
    }

    /** {@link #CLIENTS} clients each add {@link #ROUTES_PER_CYCLE} routes, then delete them. */
    private static void churn(HubgateProcess p, int cycle) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String prefix = "/churn/c" + cycle + "-" + c + "/u";
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < ROUTES_PER_CYCLE; i++) {
                        int status = p.post(prefix + i, "{\"target\": \"http://127.0.0.1:9\", \"user\": \"u" + i
                                + "\", \"server_name\": \"\", \"jupyterhub\": true}");
                        assertThat(status).isEqualTo(201);
                    }
                    for (int i = 0; i < ROUTES_PER_CYCLE; i++) {
                        assertThat(p.api("DELETE", prefix + i, null).statusCode()).isEqualTo(204);
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long maxCommitted(String log) {
        long max = 0;
        Matcher m = COMMITTED.matcher(log);
        while (m.find()) {
            max = Math.max(max, Long.parseLong(m.group(1)));
        }
        return max;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 20), lines.length));
    }
}
