package io.hubgate.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the routing table lives: the source of truth that every Hubgate instance's in-memory
 * {@code RouteTable} follows (design: ha.md §4.1). One contract for every backend — the in-process
 * {@link MemoryRouteStore}, the single-node {@link JournalRouteStore}, and shared stores (Redis Streams,
 * etcd watch) — so the control plane has one code path:
 *
 * <ol>
 *   <li>{@link #snapshot()} — the whole table at one version, atomically;</li>
 *   <li>{@link #changesAfter} — the changes after a version, strictly in version order, or a signal that
 *       they are not available ({@link ChangeBatch.Gap}) or that the store was re-initialised
 *       ({@link ChangeBatch.Reset}); either signal means "take a new snapshot";</li>
 *   <li>{@link #put}/{@link #delete} — atomic writes that complete with the version they created once the
 *       write is as durable as the store makes it (the journal: fsynced);</li>
 *   <li>{@link #mergeActivity} — a batched max-merge of {@code last_activity} values;</li>
 *   <li>{@link #health()}.</li>
 * </ol>
 *
 * <p>Versions are assigned by the store and strictly increase with every route change (memory, journal and
 * the planned Redis store count 1, 2, 3, …; etcd's revisions may skip numbers that other keys used). The store,
 * not the follower, guarantees completeness: {@link #changesAfter} returns <em>every</em> change after the
 * version asked for, or a {@link ChangeBatch.Gap} — never a silent hole (a store with consecutive versions
 * checks {@code first == after + 1}; etcd's watch reports compaction). The epoch names one incarnation of the
 * store's data; it changes only when the data starts over (a wiped Redis).
 *
 * <p>Writes never block the caller: they return a future, completed (possibly on a store thread) with the
 * result or exceptionally with a {@link StoreException}. The data plane never calls a store.
 */
public interface RouteStore extends AutoCloseable {

    /** The whole table with its epoch and version, consistent at that version. */
    StoreSnapshot snapshot() throws StoreException;

    /**
     * The changes with versions greater than {@code afterVersion}, in order, waiting up to {@code maxWait}
     * for at least one. An empty {@link ChangeBatch.Changes} means nothing happened in that time. Called by
     * one thread (the applier) at a time; may block for {@code maxWait}, never much longer.
     *
     * @param epoch the epoch of the snapshot the caller follows; a different store epoch gives a Reset
     */
    ChangeBatch changesAfter(String epoch, long afterVersion, Duration maxWait)
            throws StoreException, InterruptedException;

    /**
     * Adds or replaces the route at {@code path}.
     *
     * @param dataJson the route's data object as JSON text, kept byte for byte
     * @param activityMillis the route's {@code last_activity} from now on (CHP resets it on every add)
     * @param expectedEpoch the epoch the caller follows, or null to skip the check; a mismatch fails the write
     *                      with {@link StaleEpochException} (the caller is following data that no longer exists)
     */
    CompletableFuture<WriteResult> put(String path, String dataJson, long activityMillis, String expectedEpoch);

    /**
     * Removes the route at {@code path}. Removing a route that does not exist changes nothing: the result
     * has {@code changed == false} and the store's current version.
     */
    CompletableFuture<WriteResult> delete(String path, String expectedEpoch);

    /**
     * Raises stored {@code last_activity} values to the given ones (a value lower than the stored one is
     * ignored; paths without a route are ignored). Not a route change: no new version.
     */
    CompletableFuture<Void> mergeActivity(Map<String, Long> lastActivityMillis);

    /** Whether the store currently accepts writes, and why not. Cheap; never blocks on I/O. */
    StoreHealth health();

    /** Human-readable description for logs, e.g. {@code memory} or {@code journal in /var/lib/hubgate}. */
    String describe();

    /** Finishes queued writes, then releases files, locks and connections. */
    @Override
    void close();
}
