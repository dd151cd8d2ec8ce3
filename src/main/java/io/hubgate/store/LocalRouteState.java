package io.hubgate.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table a single-process store holds in memory, with the most recent changes kept in a ring so that
 * its follower (the applier) can read them as a change feed. Versions are consecutive here, which makes a
 * missing change easy to see. Shared by {@link MemoryRouteStore} and
 * {@link JournalRouteStore}; all methods are thread-safe.
 *
 * <p>Followers that fall further behind than the ring holds get a {@link ChangeBatch.Gap} and resynchronise
 * from {@link #snapshot()}, exactly as they would with a trimmed Redis stream or a compacted etcd history.
 */
final class LocalRouteState {

    /** At most this many changes per {@link #changesAfter} answer. */
    static final int MAX_BATCH = 1024;

    private final String epoch;
    private final RouteChange[] ring;
    private final LinkedHashMap<String, StoredRoute> routes = new LinkedHashMap<>();
    private long version;
    /** Changes up to this version were never in the ring (restored from disk at startup). */
    private long floor;

    LocalRouteState(String epoch, int retainedChanges) {
        if (retainedChanges < 1) {
            throw new IllegalArgumentException("retainedChanges must be at least 1");
        }
        this.epoch = epoch;
        this.ring = new RouteChange[retainedChanges];
    }

    String epoch() {
        return epoch;
    }

    /** Starts from a restored table (before anyone follows the state). */
    synchronized void restore(List<StoredRoute> restored, long restoredVersion) {
        routes.clear();
        for (StoredRoute r : restored) {
            routes.put(r.path(), r);
        }
        version = restoredVersion;
        floor = restoredVersion;
    }

    synchronized long version() {
        return version;
    }

    synchronized boolean contains(String path) {
        return routes.containsKey(path);
    }

    synchronized int size() {
        return routes.size();
    }

    synchronized StoreSnapshot snapshot() {
        return new StoreSnapshot(epoch, version, new ArrayList<>(routes.values()));
    }

    /** Assigns the next version to a put and applies it (stores without a write-ahead step). */
    synchronized WriteResult putNow(String path, String dataJson, long activityMillis) {
        applyLocked(RouteChange.put(version + 1, path, dataJson, activityMillis));
        notifyAll();
        return new WriteResult(version, true);
    }

    /** Assigns the next version to a delete of an existing route and applies it; a missing route changes nothing. */
    synchronized WriteResult deleteNow(String path) {
        if (!routes.containsKey(path)) {
            return new WriteResult(version, false);
        }
        applyLocked(RouteChange.delete(version + 1, path));
        notifyAll();
        return new WriteResult(version, true);
    }

    /** Applies changes that already have their versions (consecutive, starting right after the current one). */
    synchronized void apply(List<RouteChange> changes) {
        for (RouteChange change : changes) {
            applyLocked(change);
        }
        if (!changes.isEmpty()) {
            notifyAll();
        }
    }

    private void applyLocked(RouteChange change) {
        if (change.version() != version + 1) {
            throw new IllegalStateException("change " + change.version() + " applied at version " + version);
        }
        if (change.kind() == RouteChange.Kind.PUT) {
            // replacing a key keeps its place in the order, as CHP's object keys do
            routes.put(change.path(), new StoredRoute(change.path(), change.dataJson(), change.activityMillis()));
        } else {
            routes.remove(change.path());
        }
        version = change.version();
        ring[(int) (version % ring.length)] = change;
    }

    /** Raises stored activity values; returns the number of routes whose value moved. */
    synchronized int mergeActivity(Map<String, Long> activity) {
        int moved = 0;
        for (Map.Entry<String, Long> e : activity.entrySet()) {
            StoredRoute current = routes.get(e.getKey());
            if (current != null && e.getValue() > current.lastActivityMillis()) {
                routes.put(current.path(), new StoredRoute(current.path(), current.dataJson(), e.getValue()));
                moved++;
            }
        }
        return moved;
    }

    ChangeBatch changesAfter(String followedEpoch, long afterVersion, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (this) {
            if (!epoch.equals(followedEpoch)) {
                return new ChangeBatch.Reset(epoch, "store epoch is " + epoch + ", follower had " + followedEpoch);
            }
            while (version <= afterVersion) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                wait(Math.max(1, remaining / 1_000_000));
            }
            if (afterVersion > version) {
                return new ChangeBatch.Gap("follower at version " + afterVersion + " is ahead of the store at " + version);
            }
            if (afterVersion == version) {
                return new ChangeBatch.Changes(List.of(), version);
            }
            long oldest = Math.max(floor + 1, version - ring.length + 1);
            if (afterVersion + 1 < oldest) {
                return new ChangeBatch.Gap("changes after version " + afterVersion + " are no longer kept (oldest kept: "
                        + oldest + ")");
            }
            long last = Math.min(version, afterVersion + MAX_BATCH);
            List<RouteChange> out = new ArrayList<>((int) (last - afterVersion));
            for (long v = afterVersion + 1; v <= last; v++) {
                out.add(ring[(int) (v % ring.length)]);
            }
            return new ChangeBatch.Changes(out, last);
        }
    }

    /** The routes in order (a copy, for writing a snapshot file). */
    synchronized List<StoredRoute> routes() {
        return new ArrayList<>(routes.values());
    }
}
