package io.hubgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hubgate.routing.Route;
import io.hubgate.testing.HubgateFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Concurrent API clients: random POST/DELETE on overlapping keys must leave a table that some
 * serial order of the same operations could have produced, and a 201 must be visible to the very next
 * read on any connection.
 */
class ApiConcurrencyTest {

    static final int THREADS = 16;
    static final int OPS = 200;
    static final String[] KEYS = {"/k0", "/k1", "/k2", "/user/a", "/user/a/lab", "/user/b", "/user/秀樹",
            "/user/x@y", "/", "/k9"};
    static final String[] ENCODED = {"/k0", "/k1", "/k2", "/user/a", "/user/a/lab", "/user/b",
            "/user/%E7%A7%80%E6%A8%B9", "/user/x%40y", "/", "/k9"};

    /** One completed API call and the interval in which it took effect. */
    record Op(int key, String id, boolean post, long start, long end, int status) {
    }

    @Test
    void randomConcurrentWritesConvergeToALinearizableState() throws Exception {
        try (HubgateFixture hub = HubgateFixture.start(b -> { })) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<Op>>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> run(hub, thread)));
                }
                List<Op> ops = new ArrayList<>();
                for (Future<List<Op>> f : futures) {
                    ops.addAll(f.get(120, TimeUnit.SECONDS));
                }
                assertThat(ops).hasSize(THREADS * OPS);
                check(hub, ops);
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static List<Op> run(HubgateFixture hub, int thread) {
        ApiClient api = new ApiClient(hub); // its own connections
        Random random = new Random(thread * 7919L);
        List<Op> ops = new ArrayList<>(OPS);
        for (int i = 0; i < OPS; i++) {
            int key = random.nextInt(KEYS.length);
            String id = thread + "-" + i;
            boolean post = random.nextInt(10) < 6;
            long start = System.nanoTime();
            HttpResponse<String> r = post
                    ? api.post(ENCODED[key], "{\"target\":\"http://127.0.0.1:1/" + id + "\",\"op\":\"" + id + "\"}")
                    : api.delete(ENCODED[key]);
            long end = System.nanoTime();
            if (post) {
                assertThat(r.statusCode()).as("POST %s", id).isEqualTo(201);
            } else {
                assertThat(r.statusCode()).as("DELETE %s", id).isIn(204, 404);
            }
            ops.add(new Op(key, id, post, start, end, r.statusCode()));
        }
        return ops;
    }

    /**
     * For each key, the surviving state must come from an operation that may have been the last one:
     * one that no other operation on that key started after it had completed.
     */
    private static void check(HubgateFixture hub, List<Op> ops) {
        ObjectNode all = new ApiClient(hub).all();
        Map<Integer, List<Op>> byKey = new HashMap<>();
        for (Op op : ops) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        List<String> present = new ArrayList<>();
        all.propertyNames().forEach(present::add);
        assertThat(present).as("only keys that were written").allMatch(p -> List.of(KEYS).contains(p));
        for (int k = 0; k < KEYS.length; k++) {
            List<Op> keyOps = byKey.getOrDefault(k, List.of());
            List<Op> candidates = new ArrayList<>();
            for (Op op : keyOps) {
                boolean followed = keyOps.stream().anyMatch(o -> o != op && o.start() > op.end());
                if (!followed) {
                    candidates.add(op);
                }
            }
            JsonNode route = all.get(KEYS[k]);
            Route live = hub.server.routes().table().lookup(KEYS[k]);
            if (route != null) {
                String id = route.get("op").asString();
                assertThat(candidates).as("state of %s written by %s", KEYS[k], id)
                        .anyMatch(op -> op.post() && op.id().equals(id));
                assertThat(route.get("target").asString()).isEqualTo("http://127.0.0.1:1/" + id);
                assertThat(live).as("data plane sees %s", KEYS[k]).isNotNull();
                assertThat(live.path()).isEqualTo(KEYS[k]);
                assertThat(live.target().raw()).isEqualTo("http://127.0.0.1:1/" + id);
            } else {
                assertThat(keyOps.stream().noneMatch(Op::post) || candidates.stream().anyMatch(op -> !op.post()))
                        .as("%s absent: a DELETE may have been last", KEYS[k]).isTrue();
                assertThat(live == null || !live.path().equals(KEYS[k])).as("data plane dropped %s", KEYS[k]).isTrue();
            }
        }
    }

    @Test
    void aCreatedRouteIsVisibleToTheNextReadOnAnyConnection() throws Exception {
        try (HubgateFixture hub = HubgateFixture.start(b -> { })) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        ApiClient writer = new ApiClient(hub);
                        ApiClient reader = new ApiClient(hub);
                        for (int i = 0; i < 100; i++) {
                            String path = "/ryw/" + thread + "/" + (i % 10);
                            String id = thread + "-" + i;
                            writer.add(path, "{\"target\":\"http://127.0.0.1:1\",\"op\":\"" + id + "\"}");
                            HttpResponse<String> same = writer.get(path);
                            assertThat(same.statusCode()).isEqualTo(200);
                            assertThat(ApiClient.parse(same.body()).get("op").asString()).isEqualTo(id);
                            HttpResponse<String> other = reader.get(path);
                            assertThat(other.statusCode()).isEqualTo(200);
                            assertThat(ApiClient.parse(other.body()).get("op").asString()).isEqualTo(id);
                            assertThat(reader.all().get(path).get("op").asString()).isEqualTo(id);
                            assertThat(hub.server.routes().table().lookup(path + "/x").path()).isEqualTo(path);
                            if (i % 3 == 0) {
                                assertThat(writer.delete(path).statusCode()).isEqualTo(204);
                                assertThat(reader.get(path).statusCode()).isEqualTo(404);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
