package io.hubgate.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live routing table: a lock-free {@link RouteTrie} for the data plane and an insertion-ordered map
 * for the API (CHP lists routes in insertion order; re-adding a key keeps its place).
 *
 * <p>One writer (the control plane's applier) calls {@link #put}, {@link #remove} and {@link #replaceAll};
 * the data plane only calls {@link #lookup}. Activity cells are kept per key across re-POSTs (see
 * {@link ActivityCell}).
 */
public final class RouteTable {

    private volatile RouteTrie trie = new RouteTrie();
    private final LinkedHashMap<String, Route> ordered = new LinkedHashMap<>();
    private final Map<String, ActivityCell> cells = new ConcurrentHashMap<>();
    private volatile long version;

    /** Longest-prefix match for a decoded request path (host-prefixed in host-routing mode); null if none. */
    public Route lookup(String decodedPath) {
        return trie.lookup(decodedPath);
    }

    /** Exact match on a normalised key. */
    public synchronized Route get(String key) {
        return ordered.get(key);
    }

    /**
     * The activity cell for a key, created on first use. A route written at a key that had a route
     * before shares that route's cell.
     */
    public ActivityCell cellFor(String key, long initialMillis) {
        return cells.computeIfAbsent(key, k -> new ActivityCell(initialMillis));
    }

    public synchronized void put(Route route, long newVersion) {
        ordered.put(route.path(), route);
        trie.put(route);
        version = newVersion;
    }

    /** Removes a route; returns it, or null if the key had none. */
    public synchronized Route remove(String key, long newVersion) {
        Route removed = ordered.remove(key);
        if (removed != null) {
            trie.remove(key);
            cells.remove(key, removed.activity());
        }
        version = newVersion;
        return removed;
    }

    /** Replaces the whole table (store resync or restore). In-flight requests keep their routes. */
    public synchronized void replaceAll(List<Route> routes, long newVersion) {
        RouteTrie fresh = new RouteTrie();
        ordered.clear();
        for (Route r : routes) {
            ordered.put(r.path(), r);
            fresh.put(r);
        }
        cells.keySet().retainAll(ordered.keySet());
        trie = fresh; // one reference write: lookups see the old table or the new one, never a mix
        version = newVersion;
    }

    /** Visits every route in insertion order while holding the table's write lock (keep it short). */
    public synchronized void forEach(Consumer<Route> visitor) {
        ordered.values().forEach(visitor);
    }

    public synchronized int size() {
        return ordered.size();
    }

    public long version() {
        return version;
    }
}
