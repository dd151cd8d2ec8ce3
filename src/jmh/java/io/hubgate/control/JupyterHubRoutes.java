package io.hubgate.control;

import io.hubgate.json.Json;
import io.hubgate.json.JsonValue;
import io.hubgate.routing.RouteTable;
import io.hubgate.store.MemoryRouteStore;
import io.hubgate.store.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Routing tables shaped like JupyterHub's, built through the real write path ({@link RouteService#put} with the
 * memory store: target parsed, JSON fragments rendered, activity cell attached), for the benchmarks.
 *
 * <p>A table of {@code n} routes holds {@code /} and {@code /hub} (the hub) plus {@code n - 2} user servers
 * {@code /user/u00000}, {@code /user/u00001}, … as JupyterHub POSTs them.
 */
public final class JupyterHubRoutes {

    private JupyterHubRoutes() {
    }

    /** The user name of server {@code i}: {@code u00042}. */
    public static String user(int i) {
        return String.format("u%05d", i);
    }

    /** Number of user routes in a table of {@code routeCount} routes. */
    public static int users(int routeCount) {
        return Math.max(0, routeCount - 2);
    }

    /** The body JupyterHub POSTs for a user server: data first, then {@code target} and {@code jupyterhub}. */
    public static JsonValue userData(int i) {
        return Json.parse("{\"user\":" + Json.quote(user(i)) + ",\"server_name\":\"\",\"target\":\"http://10."
                + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff) + ":8888\",\"jupyterhub\":true}");
    }

    private static JsonValue hubData() {
        return Json.parse("{\"hub\":true,\"target\":\"http://127.0.0.1:8081\",\"jupyterhub\":true}");
    }

    /** A table with {@code routeCount} routes (at least the two hub routes). */
    public static RouteTable table(int routeCount) {
        RouteTable table = new RouteTable();
        try (RouteService service = new RouteService(table, new MemoryRouteStore(), false, Duration.ofHours(1))) {
            service.start();
            service.put("/", hubData()).join();
            service.put("/hub", hubData()).join();
            int users = users(routeCount);
            // In batches: one join per route would make building 100,000 routes needlessly slow.
            CompletableFuture<?> last = CompletableFuture.completedFuture(null);
            for (int i = 0; i < users; i++) {
                last = service.put("/user/" + user(i), userData(i));
            }
            last.join();
        } catch (StoreException e) {
            throw new IllegalStateException("the memory store failed: " + e.getMessage(), e);
        }
        if (table.size() != Math.max(2, routeCount)) {
            throw new IllegalStateException("expected " + routeCount + " routes, table has " + table.size());
        }
        return table;
    }
}
