package io.hubgate.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hubgate.json.JsonValue;
import io.hubgate.json.Utf8Buffer;
import io.hubgate.routing.ActivityCell;
import io.hubgate.routing.Route;
import io.hubgate.routing.RouteTable;
import io.hubgate.store.ChangeBatch;
import io.hubgate.store.JournalOptions;
import io.hubgate.store.JournalRouteStore;
import io.hubgate.store.MemoryRouteStore;
import io.hubgate.store.RouteStore;
import io.hubgate.store.StoreException;
import io.hubgate.store.StoreHealth;
import io.hubgate.store.StoreSnapshot;
import io.hubgate.store.StoredRoute;
import io.hubgate.store.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane over real stores: read-your-writes through the applier, resynchronisation after a gap,
 * activity cells shared per key, activity flushed periodically and at close, store failures surfaced.
 */
class RouteServiceTest {


    @TempDir
    Path tmp;

    final List<RouteService> services = new ArrayList<>();

    @AfterEach
    void close() {
        services.forEach(RouteService::close);
    }

    RouteService start(RouteStore store, Duration flush) throws StoreException {
        RouteService service = new RouteService(new RouteTable(), store, false, flush);
        services.add(service);
        service.start();
        return service;
    }

    static JsonValue data(String target) {
        return JsonValue.object().put("target", JsonValue.string(target));
    }

    @Test
    void aCompletedWriteIsAlreadyInTheTable() throws Exception {
        RouteService service = start(JournalRouteStore.open(tmp.resolve("s"), JournalOptions.defaults()),
                Duration.ofHours(1));
        for (int i = 1; i <= 50; i++) {
            long version = service.put("/user/" + i, data("http://127.0.0.1:" + (1000 + i))).get(10, TimeUnit.SECONDS);
            assertThat(version).isEqualTo(i);
            Route route = service.table().lookup("/user/" + i + "/lab");
            assertThat(route).isNotNull();
            assertThat(route.target().port()).isEqualTo(1000 + i);
            assertThat(service.table().version()).isGreaterThanOrEqualTo(version);
        }
        assertThat(service.delete("/user/3").get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(service.table().get("/user/3")).isNull();
        assertThat(service.delete("/user/3").get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void theTableIsLoadedFromTheStoreAtStartDataByteForByte() throws Exception {
        String odd = "{\"target\":\"http://127.0.0.1:7\",\"ключ\":{\"a\":[1,2.50,1e3]},\"last_activity\":\"x\",\"z\":null}";
        try (JournalRouteStore store = JournalRouteStore.open(tmp.resolve("s"), JournalOptions.defaults())) {
            store.put("/odd", odd, 1234, null).join();
            store.put("/bad", "{\"target\":\"ftp://nope\"}", 1, null).join(); // another build's data we cannot serve
            store.put("/ok", "{\"target\":\"http://127.0.0.1:8\"}", 99, null).join();
        }
        RouteService service = start(JournalRouteStore.open(tmp.resolve("s"), JournalOptions.defaults()),
                Duration.ofHours(1));
        assertThat(service.table().size()).isEqualTo(2);
        Route route = service.table().get("/odd");
        assertThat(route.dataJson()).isEqualTo(odd);
        assertThat(route.activity().millis()).isEqualTo(1234);
        Utf8Buffer rendered = new Utf8Buffer(16);
        route.renderJson(rendered);
        assertThat(rendered.toString()).isEqualTo("{\"target\":\"http://127.0.0.1:7\",\"ключ\":{\"a\":[1,2.50,1e3]},"
                + "\"last_activity\":\"1970-01-01T00:00:01.234Z\",\"z\":null}");
        assertThat(service.table().get("/bad")).isNull();
    }

    @Test
    void aReAddedRouteSharesItsKeysActivityCellAndResetsIt() throws Exception {
        RouteService service = start(new MemoryRouteStore(), Duration.ofHours(1));
        service.put("/a", data("http://127.0.0.1:1")).get(10, TimeUnit.SECONDS);
        ActivityCell cell = service.table().get("/a").activity();
        cell.touch(System.currentTimeMillis() + 60_000); // activity "in the future"
        service.put("/a", data("http://127.0.0.1:2")).get(10, TimeUnit.SECONDS);
        Route again = service.table().get("/a");
        assertThat(again.activity()).isSameAs(cell);
        assertThat(cell.millis()).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(again.target().port()).isEqualTo(2);
    }

    /** A real store whose change feed can be held back, like a follower cut off from a shared store. */
    static final class HeldBackFeed extends ForwardingStore {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch held = new CountDownLatch(1);
        volatile boolean hold;

        HeldBackFeed(RouteStore delegate) {
            super(delegate);
        }

        @Override
        public ChangeBatch changesAfter(String epoch, long afterVersion, Duration maxWait)
                throws StoreException, InterruptedException {
            if (hold) {
                held.countDown();
                open.await();
            }
            return super.changesAfter(epoch, afterVersion, maxWait);
        }
    }

    @Test
    void aFollowerThatMissedChangesReloadsTheWholeTable() throws Exception {
        HeldBackFeed store = new HeldBackFeed(new MemoryRouteStore(2));
        RouteService service = start(store, Duration.ofHours(1));
        service.put("/before", data("http://127.0.0.1:1")).get(10, TimeUnit.SECONDS);
        store.hold = true;
        // the applier may be inside a poll already: one more write lets it finish that poll and hit the hold
        CompletableFuture<Long> nudge = service.put("/nudge", data("http://127.0.0.1:2"));
        assertThat(store.held.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            writes.add(service.put("/missed/" + i, data("http://127.0.0.1:" + (10 + i))));
        }
        service.delete("/before");
        assertThat(writes).noneMatch(CompletableFuture::isDone);
        store.open.countDown();
        nudge.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Long> w : writes) {
            w.get(10, TimeUnit.SECONDS);
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> service.table().get("/before") == null);
        assertThat(service.table().size()).isEqualTo(6);
        assertThat(service.table().lookup("/missed/4/x").target().port()).isEqualTo(14);
        assertThat(applier(service).resyncCount()).isPositive();
    }

    static RouteApplier applier(RouteService service) throws ReflectiveOperationException {
        var field = RouteService.class.getDeclaredField("applier");
        field.setAccessible(true);
        return (RouteApplier) field.get(service);
    }

    @Test
    void activityIsFlushedPeriodicallyAndAtClose() throws Exception {
        Path dir = tmp.resolve("s");
        JournalRouteStore store = JournalRouteStore.open(dir, JournalOptions.defaults());
        RouteService service = start(store, Duration.ofMillis(50));
        service.put("/a", data("http://127.0.0.1:1")).get(10, TimeUnit.SECONDS);
        service.put("/b", data("http://127.0.0.1:2")).get(10, TimeUnit.SECONDS);
        long later = System.currentTimeMillis() + 5_000;
        service.table().get("/a").activity().touch(later);
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> store.snapshot().routes().stream()
                .anyMatch(r -> r.path().equals("/a") && r.lastActivityMillis() == later));

        service.table().get("/b").activity().touch(later + 1);
        RouteService slow = service;
        services.remove(slow);
        // close before the next flush could run? The final flush happens regardless:
        slow.close();
        try (JournalRouteStore reopened = JournalRouteStore.open(dir, JournalOptions.defaults())) {
            assertThat(reopened.snapshot().routes()).extracting(StoredRoute::path, StoredRoute::lastActivityMillis)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("/a", later),
                            org.assertj.core.groups.Tuple.tuple("/b", later + 1));
        }
    }

    @Test
    void theFinalFlushAloneKeepsActivity() throws Exception {
        Path dir = tmp.resolve("s");
        RouteService service = new RouteService(new RouteTable(),
                JournalRouteStore.open(dir, JournalOptions.defaults()), false, Duration.ofHours(1));
        service.start();
        service.put("/a", data("http://127.0.0.1:1")).get(10, TimeUnit.SECONDS);
        service.table().get("/a").activity().touch(4_000_000_000_000L);
        service.close();
        try (JournalRouteStore reopened = JournalRouteStore.open(dir, JournalOptions.defaults())) {
            assertThat(reopened.snapshot().routes().get(0).lastActivityMillis()).isEqualTo(4_000_000_000_000L);
        }
    }

    @Test
    void aStoreThatRefusesWritesFailsTheWriteAndLeavesTheTableAlone() throws Exception {
        JournalRouteStore store = JournalRouteStore.open(tmp.resolve("s"), JournalOptions.defaults());
        RouteService service = start(store, Duration.ofHours(1));
        service.put("/a", data("http://127.0.0.1:1")).get(10, TimeUnit.SECONDS);
        store.close(); // the store goes away under a running service
        assertThatThrownBy(() -> service.put("/b", data("http://127.0.0.1:2")).join())
                .hasCauseInstanceOf(RouteService.StoreFailure.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> service.delete("/a").join()).hasCauseInstanceOf(RouteService.StoreFailure.class);
        assertThat(service.table().get("/a")).isNotNull();
        assertThat(service.table().get("/b")).isNull();
        assertThat(service.storeHealth()).isEqualTo(StoreHealth.failing("closed"));
    }

    /**
     * A real store seen through etcd-like versions: revisions skip numbers (other keys' writes use them) and the
     * feed reports progress past the last route change. The applier must need nothing more than that.
     */
    static final class SparseVersions extends ForwardingStore {
        SparseVersions(RouteStore delegate) {
            super(delegate);
        }

        static long out(long v) {
            return v == 0 ? 0 : v * 10 + 3;
        }

        static long in(long v) {
            return v == 0 ? 0 : (v - 3) / 10;
        }

        @Override
        public StoreSnapshot snapshot() throws StoreException {
            StoreSnapshot s = delegate.snapshot();
            return new StoreSnapshot(s.epoch(), out(s.version()) + 5, s.routes());
        }

        @Override
        public ChangeBatch changesAfter(String epoch, long afterVersion, Duration maxWait)
                throws StoreException, InterruptedException {
            ChangeBatch b = delegate.changesAfter(epoch, in(afterVersion), maxWait);
            if (!(b instanceof ChangeBatch.Changes c)) {
                return b;
            }
            List<io.hubgate.store.RouteChange> mapped = new ArrayList<>();
            for (io.hubgate.store.RouteChange ch : c.changes()) {
                mapped.add(new io.hubgate.store.RouteChange(out(ch.version()), ch.kind(), ch.path(), ch.dataJson(),
                        ch.activityMillis()));
            }
            return new ChangeBatch.Changes(mapped, out(c.throughVersion()) + 5); // progress past our last change
        }

        @Override
        public CompletableFuture<WriteResult> put(String path, String dataJson, long activityMillis, String epoch) {
            return delegate.put(path, dataJson, activityMillis, epoch).thenApply(r -> new WriteResult(out(r.version()), true));
        }

        @Override
        public CompletableFuture<WriteResult> delete(String path, String epoch) {
            // a missing route answers with the cluster's current revision, beyond the last route change
            return delegate.delete(path, epoch).thenApply(r -> new WriteResult(
                    r.changed() ? out(r.version()) : out(r.version()) + 5, r.changed()));
        }
    }

    @Test
    void versionsThatSkipNumbersWorkAsLongAsTheFeedIsComplete() throws Exception {
        RouteService service = start(new SparseVersions(new MemoryRouteStore()), Duration.ofHours(1));
        assertThat(service.put("/a", data("http://127.0.0.1:1")).get(10, TimeUnit.SECONDS)).isEqualTo(13);
        assertThat(service.put("/b", data("http://127.0.0.1:2")).get(10, TimeUnit.SECONDS)).isEqualTo(23);
        assertThat(service.delete("/a").get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(service.delete("/a").get(10, TimeUnit.SECONDS)).isFalse(); // waits for version 38: progress
        assertThat(service.table().get("/a")).isNull();
        assertThat(service.table().lookup("/b/c").target().port()).isEqualTo(2);
        assertThat(applier(service).resyncCount()).isZero();
    }

    /** Delegates everything to a real store. */
    static class ForwardingStore implements RouteStore {
        final RouteStore delegate;

        ForwardingStore(RouteStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public StoreSnapshot snapshot() throws StoreException {
            return delegate.snapshot();
        }

        @Override
        public ChangeBatch changesAfter(String epoch, long afterVersion, Duration maxWait)
                throws StoreException, InterruptedException {
            return delegate.changesAfter(epoch, afterVersion, maxWait);
        }

        @Override
        public CompletableFuture<WriteResult> put(String path, String dataJson, long activityMillis, String epoch) {
            return delegate.put(path, dataJson, activityMillis, epoch);
        }

        @Override
        public CompletableFuture<WriteResult> delete(String path, String epoch) {
            return delegate.delete(path, epoch);
        }

        @Override
        public CompletableFuture<Void> mergeActivity(Map<String, Long> lastActivityMillis) {
            return delegate.mergeActivity(lastActivityMillis);
        }

        @Override
        public StoreHealth health() {
            return delegate.health();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
