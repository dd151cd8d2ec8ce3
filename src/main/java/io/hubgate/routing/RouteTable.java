package io.hubgate.routing;

import java.util.ArrayList;
import java.util.HashMap;
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
    /**
     * Keys that share one trie node ({@code /a}, {@code //a}, {@code /a/}: §3.4) by canonical key, most recently
     * put last; only for nodes that more than one present key maps to. The trie holds the last one's route, and
     * removing it hands the node to the next, so the API's table and the routing trie never disagree.
     */
    private Map<String, List<String>> sharedNodes = new HashMap<>();
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

    /**
     * Adds or replaces the route at its key. The route's activity cell becomes the key's cell (normally it is
     * already, having been obtained from {@link #cellFor}).
     */
    public synchronized void put(Route route, long newVersion) {
        ordered.put(route.path(), route);
        index(trie, sharedNodes, route);
        cells.put(route.path(), route.activity());
        version = newVersion;
    }

    /** Removes a route; returns it, or null if the key had none. */
    public synchronized Route remove(String key, long newVersion) {
        Route removed = ordered.remove(key);
        if (removed != null) {
            String canonical = RouteTrie.canonicalKey(key);
            List<String> sharing = sharedNodes.get(canonical);
            if (sharing == null) {
                trie.remove(key);
            } else {
                sharing.remove(key);
                trie.put(ordered.get(sharing.get(sharing.size() - 1)));
                if (sharing.size() == 1) {
                    sharedNodes.remove(canonical);
                }
            }
            cells.remove(key, removed.activity());
        }
        version = newVersion;
        return removed;
    }

    /** Replaces the whole table (store resync or restore). In-flight requests keep their routes. */
    public synchronized void replaceAll(List<Route> routes, long newVersion) {
        RouteTrie fresh = new RouteTrie();
        Map<String, List<String>> freshShared = new HashMap<>();
        ordered.clear();
        for (Route r : routes) {
            ordered.put(r.path(), r);
            index(fresh, freshShared, r);
        }
        cells.keySet().retainAll(ordered.keySet());
        for (Route r : ordered.values()) {
            cells.put(r.path(), r.activity());
        }
        sharedNodes = freshShared;
        trie = fresh; // one reference write: lookups see the old table or the new one, never a mix
        version = newVersion;
    }

    /** Puts a route into a trie, keeping track of keys that share its node. */
    private static void index(RouteTrie trie, Map<String, List<String>> shared, Route route) {
        String key = route.path();
        String canonical = RouteTrie.canonicalKey(key);
        List<String> sharing = shared.get(canonical);
        if (sharing != null) {
            sharing.remove(key);
            sharing.add(key);
        } else {
            Route holder = trie.exact(key);
            if (holder != null && !holder.path().equals(key)) {
                sharing = new ArrayList<>(2);
                sharing.add(holder.path());
                sharing.add(key);
                shared.put(canonical, sharing);
            }
        }
        trie.put(route);
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
