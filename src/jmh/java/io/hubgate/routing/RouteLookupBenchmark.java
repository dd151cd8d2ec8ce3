package io.hubgate.routing;

import io.hubgate.control.JupyterHubRoutes;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RouteTable#lookup} (the data plane's longest-prefix match) on JupyterHub-shaped tables of 10 to 100,000
 * routes. Each call looks up the next of 4,096 pre-generated paths (random users, random JupyterHub URLs), so
 * neither the path nor the route can be constant-folded and large tables do not fit in the CPU caches.
 *
 * <ul>
 *   <li>{@code lookupHit}: decoded paths under an existing user's route ({@code /user/u00042/lab/tree/x.ipynb})
 *       or the hub's ({@code /hub/api/users});</li>
 *   <li>{@code lookupMiss}: paths of users that have no route: the walk stops at the second segment and falls
 *       back to {@code /} (the hub), as it does for a stopped server;</li>
 *   <li>{@code parseAndLookup}: the whole routing step of a request, {@link RequestPath#parse} of the raw
 *       request-target (some with a query) and the lookup of its decoded path.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteLookupBenchmark {

    private static final int PATHS = 4096; // a power of two: the cursor wraps with a mask
    private static final String[] SUFFIXES = {
        "", "/", "/lab", "/lab/tree/x.ipynb", "/lab/tree/work/analysis/results.ipynb",
        "/api/kernels/6b2f0c1e-4f5d-4c1a-9d3e-2a7b8c9d0e1f/channels", "/api/contents/work/x.ipynb",
        "/api/sessions", "/static/lab/main.8c2a1b.js", "/files/data/input.csv",
    };
    private static final String[] QUERIES = {"", "", "?content=1", "?session_id=4f1c&_xsrf=2%7Cab12"};

    @Param({"10", "100", "1000", "10000", "100000"})
    public int routes;

    private RouteTable table;
    private String[] hitPaths;
    private String[] missPaths;
    private String[] hitUris;
    private int cursor;

    @Setup
    public void setUp() throws RequestPath.MalformedPathException {
        table = JupyterHubRoutes.table(routes);
        int users = JupyterHubRoutes.users(routes);
        Random random = new Random(42);
        hitPaths = new String[PATHS];
        missPaths = new String[PATHS];
        hitUris = new String[PATHS];
        for (int i = 0; i < PATHS; i++) {
            String suffix = SUFFIXES[random.nextInt(SUFFIXES.length)];
            // One request in ten goes to the hub (login, spawn pages, the hub's API).
            boolean hub = users == 0 || random.nextInt(10) == 0;
            String expected = hub ? "/hub" : "/user/" + JupyterHubRoutes.user(random.nextInt(users));
            hitPaths[i] = expected + (hub ? "/api/users" : suffix);
            hitUris[i] = hitPaths[i] + QUERIES[random.nextInt(QUERIES.length)];
            missPaths[i] = "/user/" + JupyterHubRoutes.user(users + random.nextInt(100_000)) + suffix;
            // The benchmark must measure the lookup it claims to: check every answer once.
            check(table.lookup(hitPaths[i]), expected, hitPaths[i]);
            check(table.lookup(RequestPath.parse(hitUris[i]).decodedPath()), expected, hitUris[i]);
            check(table.lookup(missPaths[i]), "/", missPaths[i]);
        }
    }

    private static void check(Route route, String expectedKey, String path) {
        if (route == null || !route.path().equals(expectedKey)) {
            throw new IllegalStateException(path + " matched " + route + ", expected " + expectedKey);
        }
    }

    private int next() {
        return cursor = (cursor + 1) & (PATHS - 1);
    }

    @Benchmark
    public Route lookupHit() {
        return table.lookup(hitPaths[next()]);
    }

    @Benchmark
    public Route lookupMiss() {
        return table.lookup(missPaths[next()]);
    }

    @Benchmark
    public Route parseAndLookup() throws RequestPath.MalformedPathException {
        return table.lookup(RequestPath.parse(hitUris[next()]).decodedPath());
    }
}
