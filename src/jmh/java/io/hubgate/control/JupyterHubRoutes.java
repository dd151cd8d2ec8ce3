package io.hubgate.control;

import io.hubgate.routing.RouteTable;
import io.hubgate.store.MemoryRouteStore;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routing tables shaped like JupyterHub's, built through the real write path ({@link RouteService#put} with the
 * memory store: target parsed, JSON fragments rendered, activity cell attached), for the benchmarks.
 *
 * <p>A table of {@code n} routes holds {@code /} and {@code /hub} (the hub) plus {@code n - 2} user servers
 * {@code /user/u00000}, {@code /user/u00001}, … as JupyterHub POSTs them.
 */
public final class JupyterHubRoutes {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();

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
    public static ObjectNode userData(int i) {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("user", user(i));
        data.put("server_name", "");
        data.put("target", "http://10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff) + ":8888");
        data.put("jupyterhub", true);
        return data;
    }

    private static ObjectNode hubData() {
        ObjectNode data = MAPPER.createObjectNode();
        data.put("hub", true);
        data.put("target", "http://127.0.0.1:8081");
        data.put("jupyterhub", true);
        return data;
    }

    /** A table with {@code routeCount} routes (at least the two hub routes). */
    public static RouteTable table(int routeCount) {
        RouteTable table = new RouteTable();
        try (RouteService service = new RouteService(table, new MemoryRouteStore(), MAPPER, false)) {
            service.put("/", hubData()).join();
            service.put("/hub", hubData()).join();
            int users = users(routeCount);
            // In batches: one join per route would make building 100,000 routes needlessly slow.
            CompletableFuture<?> last = CompletableFuture.completedFuture(null);
            for (int i = 0; i < users; i++) {
                last = service.put("/user/" + user(i), userData(i));
            }
            last.join();
        }
        if (table.size() != Math.max(2, routeCount)) {
            throw new IllegalStateException("expected " + routeCount + " routes, table has " + table.size());
        }
        return table;
    }
}
