package io.hubgate.control;

import io.hubgate.routing.ActivityCell;
import io.hubgate.routing.Route;
import io.hubgate.routing.RouteTable;
import io.hubgate.store.ChangeBatch;
import io.hubgate.store.RouteChange;
import io.hubgate.store.RouteStore;
import io.hubgate.store.StoreException;
import io.hubgate.store.StoreSnapshot;
import io.hubgate.store.StoredRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the {@link RouteTable}: follows the store's change feed and applies each change, strictly
 * in version order; a gap, a reset or a change that does not move the version forward makes it rebuild the
 * table from a snapshot (ha.md §4.1). Writers wait with {@link #awaitApplied} for the version their write created, which gives
 * read-your-writes: once the API answers, this instance routes with the change.
 *
 * <p>The store may be in this process (memory, journal) or shared (Redis, etcd): the applier does not know.
 */
public final class RouteApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("hubgate.routes");
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RouteStore store;
    private final RouteTable table;
    private final RouteFactory factory;
    private final Thread thread;
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private final Object retryMonitor = new Object();
    private final AtomicLong resyncs = new AtomicLong();
    private volatile String epoch;
    private volatile long applied;
    private volatile boolean closed;

    RouteApplier(RouteStore store, RouteTable table, RouteFactory factory) {
        this.store = store;
        this.table = table;
        this.factory = factory;
        this.thread = new Thread(this::run, "hubgate-applier");
        this.thread.setDaemon(true);
    }

    /** Loads the table from a snapshot (synchronously), then follows the store. Returns the routes loaded. */
    int start() throws StoreException {
        resync(null);
        thread.start();
        return table.size();
    }

    /** The epoch of the data the table follows. */
    String epoch() {
        return epoch;
    }

    long appliedVersion() {
        return applied;
    }

    /** Snapshots taken after the first one (gaps, resets, out-of-order changes). */
    long resyncCount() {
        return resyncs.get();
    }

    /** Completes once the table includes {@code version} (at once if it already does). */
    CompletableFuture<Void> awaitApplied(long version) {
        if (applied >= version) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (waiters) {
            if (applied >= version) { // the applier moved on between the check above and the lock
                return CompletableFuture.completedFuture(null);
            }
            waiters.computeIfAbsent(version, v -> new ArrayList<>(1)).add(f);
        }
        return f;
    }

    private void run() {
        boolean failing = false;
        while (!closed) {
            try {
                ChangeBatch batch = store.changesAfter(epoch, applied, POLL);
                if (batch instanceof ChangeBatch.Changes changes) {
                    boolean inOrder = true;
                    for (RouteChange change : changes.changes()) {
                        if (change.version() <= applied) { // a store bug or a regression: trust nothing incremental
                            resync("change " + change.version() + " arrived after version " + applied);
                            inOrder = false;
                            break;
                        }
                        apply(change);
                    }
                    if (inOrder && changes.throughVersion() > applied) {
                        applied = changes.throughVersion(); // up to date through here (etcd: progress notify)
                    }
                } else if (batch instanceof ChangeBatch.Gap gap) {
                    resync(gap.reason());
                } else if (batch instanceof ChangeBatch.Reset reset) {
                    resync("the store was reset: " + reset.reason());
                }
                if (failing) {
                    log.info("Following the route store again at version {}", applied);
                    failing = false;
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (StoreException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (!failing) {
                    log.error("Cannot follow the route store ({}); serving the table at version {} and retrying",
                            e.getMessage(), applied, e instanceof RuntimeException ? e : null);
                    failing = true;
                }
                pause();
            }
            release();
        }
        release();
    }

    private void apply(RouteChange change) {
        long version = change.version();
        if (change.kind() == RouteChange.Kind.PUT) {
            ActivityCell cell = table.cellFor(change.path(), change.activityMillis());
            Route route;
            try {
                route = factory.build(change.path(), change.dataJson(), cell);
            } catch (RuntimeException e) {
                log.error("Cannot serve route {} from the store: {}; it is not routed", change.path(), e.getMessage());
                table.remove(change.path(), version);
                applied = version;
                return;
            }
            // CHP resets last_activity on every add; a re-added key keeps its cell (websockets opened before
            // the re-add keep counting), so the reset goes into the shared cell
            cell.set(change.activityMillis());
            table.put(route, version);
        } else {
            table.remove(change.path(), version);
        }
        applied = version;
    }

    /** Rebuilds the whole table from a snapshot and swaps it in at once. {@code reason} null: the first load. */
    private void resync(String reason) throws StoreException {
        long started = System.nanoTime();
        StoreSnapshot snapshot = store.snapshot();
        List<Route> routes = new ArrayList<>(snapshot.routes().size());
        for (StoredRoute stored : snapshot.routes()) {
            ActivityCell cell = table.cellFor(stored.path(), stored.lastActivityMillis());
            try {
                routes.add(factory.build(stored.path(), stored.dataJson(), cell));
                cell.mergeMax(stored.lastActivityMillis()); // never move live activity backwards
            } catch (RuntimeException e) {
                log.error("Skipping stored route {}: {}", stored.path(), e.getMessage());
            }
        }
        table.replaceAll(routes, snapshot.version());
        epoch = snapshot.epoch();
        applied = snapshot.version();
        if (reason != null) {
            resyncs.incrementAndGet();
            log.warn("Reloaded the routing table from the store ({}): {} routes at version {} in {} ms", reason,
                    routes.size(), snapshot.version(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Completes the waiters the table has caught up with. */
    private void release() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            Map<Long, List<CompletableFuture<Void>>> done = waiters.headMap(applied, true);
            done.values().forEach(ready::addAll);
            done.clear();
        }
        ready.forEach(f -> f.complete(null));
    }

    private void pause() {
        synchronized (retryMonitor) {
            if (!closed) {
                try {
                    retryMonitor.wait(RETRY.toMillis()); // a retry delay, cut short by close()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (retryMonitor) {
            retryMonitor.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<CompletableFuture<Void>> left = new ArrayList<>();
        synchronized (waiters) {
            waiters.values().forEach(left::addAll);
            waiters.clear();
        }
        StoreException stopped = new StoreException("Hubgate is shutting down");
        left.forEach(f -> f.completeExceptionally(stopped));
    }
}
