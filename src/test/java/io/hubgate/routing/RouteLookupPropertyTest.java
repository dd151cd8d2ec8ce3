package io.hubgate.routing;

import static io.hubgate.routing.TestRoutes.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomised comparison with brute-force reference implementations written here, with fixed seeds so that a
 * failure reproduces: {@link RouteTable#lookup} against a linear scan for the longest segment-wise prefix, and
 * {@link RequestPath#stripSegments} against stripping the decoded path.
 */
class RouteLookupPropertyTest {

    /** Segments chosen to collide: shared prefixes, empty segments, non-ASCII, characters that look special. */
    static final String[] SEGMENTS = {"a", "b", "ab", "a b", "", "user", "秀樹", "%", "x.y", "..", "@", "A"};

    /** Reference model: present keys with their route and the sequence number of their last put. */
    static final class Model {
        final Map<String, Route> routes = new LinkedHashMap<>();
        final Map<String, Long> putSeq = new LinkedHashMap<>();
        long seq;

        void put(Route r) {
            routes.put(r.path(), r);
            putSeq.put(r.path(), ++seq);
        }

        void remove(String key) {
            routes.remove(key);
            putSeq.remove(key);
        }

        /**
         * Brute force: every key whose segments (leading/trailing slashes stripped, split on '/') are a prefix of
         * the path's segments matches; the longest wins; among keys with equal segments, the last put.
         */
        Route lookup(String path) {
            List<String> p = segs(path);
            Route best = null;
            int bestLen = -1;
            long bestSeq = -1;
            for (Route r : routes.values()) {
                List<String> k = segs(r.path());
                if (k.size() > p.size() || !p.subList(0, k.size()).equals(k)) {
                    continue;
                }
                long s = putSeq.get(r.path());
                if (k.size() > bestLen || (k.size() == bestLen && s > bestSeq)) {
                    best = r;
                    bestLen = k.size();
                    bestSeq = s;
                }
            }
            return best;
        }
    }

    static List<String> segs(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? List.of() : Arrays.asList(path.substring(start, end).split("/", -1));
    }

    static String randomPath(Random rnd, int maxDepth) {
        StringBuilder sb = new StringBuilder();
        int leading = rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(2) : 1;
        sb.append("/".repeat(leading));
        int depth = rnd.nextInt(maxDepth + 1);
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(SEGMENTS[rnd.nextInt(SEGMENTS.length)]);
        }
        if (rnd.nextInt(6) == 0) {
            sb.append("/".repeat(1 + rnd.nextInt(2)));
        }
        return sb.toString();
    }

    @Test
    void lookupEqualsBruteForceLongestSegmentPrefix() {
        Random rnd = new Random(20261122L);
        int comparisons = 0;
        for (int round = 0; round < 300; round++) {
            RouteTable table = new RouteTable();
            Model model = new Model();
            List<String> keyPool = new ArrayList<>();
            int poolSize = 1 + rnd.nextInt(40);
            for (int i = 0; i < poolSize; i++) {
                keyPool.add(RoutePaths.clean(randomPath(rnd, 4)));
            }
            long version = 0;
            int ops = 1 + rnd.nextInt(80);
            for (int op = 0; op < ops; op++) {
                String key = keyPool.get(rnd.nextInt(keyPool.size()));
                int kind = rnd.nextInt(20);
                if (kind < 12) {
                    Route r = keyed(key);
                    table.put(r, ++version);
                    model.put(r);
                } else if (kind < 19) {
                    Route removed = table.remove(key, ++version);
                    assertThat(removed).isSameAs(model.routes.get(key));
                    model.remove(key);
                } else {
                    // Resync: replace everything with a random subset (the list order is the put order).
                    List<Route> list = new ArrayList<>();
                    Model fresh = new Model();
                    for (String k : keyPool) {
                        if (rnd.nextBoolean()) {
                            Route r = keyed(k);
                            list.add(r);
                            fresh.put(r);
                        }
                    }
                    table.replaceAll(list, ++version);
                    model.routes.clear();
                    model.putSeq.clear();
                    model.routes.putAll(fresh.routes);
                    model.putSeq.putAll(fresh.putSeq);
                    model.seq = fresh.seq;
                }
                for (int q = 0; q < 10; q++) {
                    String path = rnd.nextInt(3) == 0
                            ? keyPool.get(rnd.nextInt(keyPool.size())) + randomPath(rnd, 3)
                            : randomPath(rnd, 6);
                    assertThat(table.lookup(path))
                            .as("round %d, lookup %s in %s", round, path, model.routes.keySet())
                            .isSameAs(model.lookup(path));
                    comparisons++;
                }
                assertThat(table.size()).isEqualTo(model.routes.size());
                for (Map.Entry<String, Route> e : model.routes.entrySet()) {
                    assertThat(table.get(e.getKey())).isSameAs(e.getValue());
                }
            }
            List<String> order = new ArrayList<>();
            table.forEach(r -> order.add(r.path()));
            assertThat(order).containsExactlyInAnyOrderElementsOf(model.routes.keySet());
        }
        assertThat(comparisons).isGreaterThan(10_000);
    }

    /** Raw path pieces, several of which decode to '/' or to multi-byte characters. */
    static final String[] RAW_PIECES = {"a", "b", "/", "/", "%2F", "%2f", "%40", "%20", "%E7%A7%80", "+", "%25", "."};

    @Test
    void stripSegmentsEqualsStrippingTheDecodedPath() throws Exception {
        Random rnd = new Random(4_5_2026L);
        int checks = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder raw = new StringBuilder("/");
            int pieces = rnd.nextInt(10);
            for (int p = 0; p < pieces; p++) {
                raw.append(RAW_PIECES[rnd.nextInt(RAW_PIECES.length)]);
            }
            RequestPath path = RequestPath.parse(raw.toString());
            List<String> decodedSegs = segs(path.decodedPath());
            int n = rnd.nextInt(decodedSegs.size() + 2);
            String stripped = path.stripSegments(n);
            assertThat(RequestPath.decode(stripped))
                    .as("%s (raw %s) minus %d", path.decodedPath(), path.rawPath(), n)
                    .isEqualTo(decodedRemainder(path.decodedPath(), n));
            String key = "/" + String.join("/", decodedSegs.subList(0, Math.min(n, decodedSegs.size())));
            if (n <= decodedSegs.size() && RequestPath.segmentCount(key) == n) {
                // The route made of the first n decoded segments (when a key can express them: not when the
                // n-th is empty) is what the lookup finds, so n is what the proxy strips.
                RouteTable table = new RouteTable();
                table.put(keyed(key), 1);
                assertThat(table.lookup(path.decodedPath()).path()).as("%s", path.decodedPath()).isEqualTo(key);
            }
            checks++;
        }
        assertThat(checks).isEqualTo(20_000);
    }

    /** Reference: skip leading slashes, then {@code n} segments; what is left starts at the slash after them. */
    static String decodedRemainder(String decoded, int n) {
        int pos = 0;
        while (pos < decoded.length() && decoded.charAt(pos) == '/') {
            pos++;
        }
        for (int i = 0; i < n; i++) {
            int slash = decoded.indexOf('/', pos);
            if (slash < 0) {
                return "";
            }
            if (i == n - 1) {
                return decoded.substring(slash);
            }
            pos = slash + 1;
        }
        return decoded;
    }
}
