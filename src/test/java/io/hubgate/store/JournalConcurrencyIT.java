package io.hubgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.testing.HttpBackend;
import io.hubgate.testing.HubgateProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * 16 concurrent API clients × 1,000 random puts and deletes on overlapping keys, with compactions running
 * in between (a low threshold): the table Hubgate served before a SIGKILL is exactly the table it serves
 * after the restart, and every answer was a success (no 5xx).
 */
@Timeout(600)
class JournalConcurrencyIT {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final int CLIENTS = 16;
    static final int OPS = 1000;
    static final int KEYS = 300;
    static HttpBackend backend;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBackend() {
        backend = new HttpBackend("concurrency-it");
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void servedTableEqualsStoredTableAfterSigkill() throws Exception {
        Path state = tmp.resolve("state");
        List<String> args = List.of("--storage-backend", "file://" + state);
        HubgateProcess.Options compacting = HubgateProcess.Options.failingOnLeaks();
        compacting.javaOpts += " -D" + JournalOptions.COMPACT_AFTER_RECORDS_PROPERTY + "=2000";
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        // what each client last wrote per key ("" for a delete)
        List<Map<String, String>> lastWrites = new ArrayList<>();
        byte[] served;
        try (HubgateProcess p = HubgateProcess.startOnLoopback(tmp, "writers", compacting, args).awaitListening()) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Map<String, String> mine = new ConcurrentHashMap<>();
                lastWrites.add(mine);
                clients.add(pool.submit(() -> {
                    Random random = new Random(1000 + client);
                    for (int i = 0; i < OPS; i++) {
                        String key = "/k/" + random.nextInt(KEYS) + (random.nextInt(10) == 0 ? "/ü" : "");
                        String encoded = HubgateProcess.encodePath(key);
                        int status;
                        if (random.nextInt(10) < 7) {
                            String body = "{\"target\":\"" + backend.url() + "/c" + client + "\",\"client\":" + client
                                    + ",\"op\":" + i + ",\"nested\":{\"ключ\":[" + random.nextInt() + "]}}";
                            status = p.post(encoded, body);
                            mine.put(key, body);
                        } else {
                            status = p.api("DELETE", encoded, null).statusCode();
                            mine.put(key, "");
                        }
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get(500, TimeUnit.SECONDS);
            }
            pool.shutdown();
            served = p.routesBytes();
            assertThat(p.logged("Compacted the journal")).as("compactions ran during the test").isTrue();
            p.kill();
        }
        assertThat(statuses.keySet()).as("statuses %s", statuses).isSubsetOf(Set.of(201, 204, 404));
        assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(CLIENTS * OPS);

        // Each client's operations are sequential, so the last operation applied to a key is some client's last
        // operation on it: a served route is one of those last puts, an absent key has a delete among them.
        JsonNode table = MAPPER.readTree(served);
        assertThat(table.size()).isPositive();
        Set<String> keys = new HashSet<>();
        lastWrites.forEach(m -> keys.addAll(m.keySet()));
        assertThat(keys).containsAll(table.propertyNames());
        for (String key : keys) {
            Set<JsonNode> candidates = new HashSet<>();
            boolean deleted = false;
            for (Map<String, String> mine : lastWrites) {
                String last = mine.get(key);
                if (last != null && last.isEmpty()) {
                    deleted = true;
                } else if (last != null) {
                    candidates.add(MAPPER.readTree(last));
                }
            }
            if (table.has(key)) {
                ObjectNode route = (ObjectNode) table.get(key).deepCopy();
                route.remove("last_activity");
                assertThat(candidates).as(key).contains(route);
            } else {
                assertThat(deleted).as("%s is absent, so some client's last operation on it was a delete", key).isTrue();
            }
        }

        try (HubgateProcess again = HubgateProcess.startOnLoopback(tmp, "restarted",
                HubgateProcess.Options.failingOnLeaks(), args).awaitListening()) {
            byte[] restored = again.routesBytes();
            assertThat(new String(restored, StandardCharsets.UTF_8)).isEqualTo(new String(served, StandardCharsets.UTF_8));
            String someKey = table.propertyNames().iterator().next();
            int client = table.get(someKey).get("client").asInt();
            assertThat(again.proxyGet("127.0.0.1", HubgateProcess.encodePath(someKey) + "/x"))
                    .contains("\"url\":\"/c" + client + HubgateProcess.encodePath(someKey) + "/x\"");
        }
    }
}
