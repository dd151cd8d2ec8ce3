package io.hubgate.store;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * CHP's behaviour: the table lives only in this process and is gone when it exits. Writes are applied at
 * once; the change feed serves them from memory. Used when {@code --storage-backend} is {@code memory}
 * (the default).
 */
public final class MemoryRouteStore implements RouteStore {

    static final int DEFAULT_RETAINED_CHANGES = 4096;

    private final LocalRouteState state;
    private volatile boolean closed;

    public MemoryRouteStore() {
        this(DEFAULT_RETAINED_CHANGES);
    }

    /** @param retainedChanges how many recent changes the feed keeps (a slower follower gets a Gap) */
    public MemoryRouteStore(int retainedChanges) {
        this.state = new LocalRouteState(UUID.randomUUID().toString(), retainedChanges);
    }

    @Override
    public StoreSnapshot snapshot() {
        return state.snapshot();
    }

    @Override
    public ChangeBatch changesAfter(String epoch, long afterVersion, Duration maxWait) throws InterruptedException {
        return state.changesAfter(epoch, afterVersion, maxWait);
    }

    @Override
    public CompletableFuture<WriteResult> put(String path, String dataJson, long activityMillis, String expectedEpoch) {
        StoreException refused = refuse(expectedEpoch);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return CompletableFuture.completedFuture(state.putNow(path, dataJson, activityMillis));
    }

    @Override
    public CompletableFuture<WriteResult> delete(String path, String expectedEpoch) {
        StoreException refused = refuse(expectedEpoch);
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        return CompletableFuture.completedFuture(state.deleteNow(path));
    }

    private StoreException refuse(String expectedEpoch) {
        if (closed) {
            return new StoreException("memory store is closed");
        }
        if (expectedEpoch != null && !expectedEpoch.equals(state.epoch())) {
            return new StaleEpochException("store epoch is " + state.epoch() + ", writer expected " + expectedEpoch);
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> mergeActivity(Map<String, Long> lastActivityMillis) {
        state.mergeActivity(lastActivityMillis);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public StoreHealth health() {
        return closed ? StoreHealth.failing("closed") : StoreHealth.ok("memory");
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
        closed = true;
    }
}
