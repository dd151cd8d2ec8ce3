package io.hubgate.control;

import io.hubgate.routing.Route;
import io.hubgate.routing.RouteTable;
import io.hubgate.routing.Target;
import io.hubgate.store.RouteStore;
import io.hubgate.store.StoreException;
import io.hubgate.store.StoredRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control plane's single writer: every route change goes through one thread, which makes it durable
 * in the {@link RouteStore} and then applies it to the live {@link RouteTable}. A write's future completes
 * only after the table includes it, so the API answers with read-your-writes semantics.
 */
public final class RouteService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hubgate.routes");

    private final RouteTable table;
    private final RouteStore store;
    private final JsonMapper mapper;
    private final RouteJson json;
    private final boolean hostRouting;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hubgate-control");
        t.setDaemon(true);
        return t;
    });

    public RouteService(RouteTable table, RouteStore store, JsonMapper mapper, boolean hostRouting) {
        this.table = table;
        this.store = store;
        this.mapper = mapper;
        this.json = new RouteJson(mapper);
        this.hostRouting = hostRouting;
    }

    public RouteTable table() {
        return table;
    }

    /** Serves what the store holds (restart, or a restore); routes whose data no longer parses are skipped. */
    public void loadFromStore() throws StoreException {
        List<Route> routes = new ArrayList<>();
        for (StoredRoute stored : store.load()) {
            try {
                ObjectNode data = (ObjectNode) mapper.readTree(stored.dataJson());
                routes.add(build(stored.path(), data, stored.lastActivityMillis()));
            } catch (RuntimeException e) {
                log.error("Skipping stored route {}: {}", stored.path(), e.getMessage());
            }
        }
        table.replaceAll(routes, table.version());
    }

    /**
     * Adds or replaces the route at {@code path} (already normalised). {@code data} must hold a valid
     * string {@code target} (the API checks it). {@code last_activity} is set to now, as CHP does.
     */
    public CompletableFuture<Route> put(String path, ObjectNode data) {
        return CompletableFuture.supplyAsync(() -> {
            if (hostRouting && !path.equals("/")) {
                String first = path.substring(1);
                int slash = first.indexOf('/');
                data.put("host", slash >= 0 ? first.substring(0, slash) : first);
            }
            long now = System.currentTimeMillis();
            Route route = build(path, data, now);
            long version;
            try {
                version = store.put(new StoredRoute(path, route.dataJson(), now));
            } catch (StoreException e) {
                throw new StoreFailure(e); // the live route, and its activity, stay as they were
            }
            route.activity().set(now); // a re-POST shares the key's cell: reset it only once the write is durable
            table.put(route, version);
            return route;
        }, writer);
    }

    /** Removes the route at {@code path}; completes with the removed route or null if there was none. */
    public CompletableFuture<Route> delete(String path) {
        return CompletableFuture.supplyAsync(() -> {
            if (table.get(path) == null) {
                return null;
            }
            try {
                long version = store.delete(path);
                return table.remove(path, version);
            } catch (StoreException e) {
                throw new StoreFailure(e);
            }
        }, writer);
    }

    private Route build(String path, ObjectNode data, long activityMillis) {
        Target target = Target.parse(data.get("target").asString());
        RouteJson.Fragments fragments = json.render(data);
        return new Route(path, target, mapper.writeValueAsString(data), fragments.head(), fragments.tail(),
                table.cellFor(path, activityMillis));
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    /** A store failure surfaced through a future (the API answers 503). */
    public static final class StoreFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreFailure(StoreException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
